import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildASTSchema, parse, printSchema, visit, type GraphQLSchema } from 'graphql';
import { REPO_ROOT } from '@csp/testkit';
import { DEFAULT_SUPERGRAPH } from '../src/server';
import {
  apiSchemaOf,
  baseSupergraph,
  checkSchemaChange,
  coordinatesUsed,
  formatResult,
  frontendOperationFiles,
  loadOperations,
} from '../src/compose/schema-check';

/**
 * CI refuses a supergraph change that breaks an operation a frontend runs (the contract's and
 * those kept here), naming the change and the operations; additive changes pass.
 */
const head = apiSchemaOf(readFileSync(DEFAULT_SUPERGRAPH, 'utf8'));
const operations = loadOperations(frontendOperationFiles(REPO_ROOT), REPO_ROOT);

/** The schema with one edit to its SDL. */
function edited(schema: GraphQLSchema, edit: (sdl: ReturnType<typeof parse>) => ReturnType<typeof parse>): GraphQLSchema {
  return buildASTSchema(edit(parse(printSchema(schema))));
}
const withoutField = (type: string, field: string) => (doc: ReturnType<typeof parse>) =>
  visit(doc, {
    ObjectTypeDefinition(node) {
      return node.name.value === type ? { ...node, fields: node.fields?.filter((f) => f.name.value !== field) } : undefined;
    },
  });

it('the committed supergraph breaks no frontend operation compared with main', async () => {
  expect(operations.length).toBeGreaterThan(40);
  expect(operations.some((o) => o.file.endsWith('WALKTHROUGH.md'))).toBe(true);
  const base = baseSupergraph(REPO_ROOT);
  if (!base) return; // a repository without main: nothing to compare with (the CLI says so)
  const result = await checkSchemaChange(apiSchemaOf(base.sdl), head, operations);
  expect(formatResult({ ...result, safe: [], unusedBreaking: [] })).toBe('');
});

it('removing a field a contract operation uses fails, naming the change and the operation', async () => {
  const result = await checkSchemaChange(head, edited(head, withoutField('Customer', 'companyName')), operations);
  const broken = result.breaking.find((b) => b.path === 'Customer.companyName');
  expect(broken?.change).toMatch(/companyName.*removed/i);
  expect(broken?.operations).toContain('CustomerOverview (customers.graphql)');
  expect(formatResult(result)).toMatch(/BREAKING .*companyName[\s\S]*used by: .*CustomerOverview \(customers\.graphql\)/);
});

it('a breaking change no known operation uses is reported but passes', async () => {
  const used = new Set(operations.flatMap((o) => [...coordinatesUsed(head, o.document)]));
  const unused = Object.keys(head.getQueryType()!.getFields()).find((f) => !used.has(`Query.${f}`) && !f.startsWith('_'));
  expect(unused).toBeDefined();
  const result = await checkSchemaChange(head, edited(head, withoutField('Query', unused!)), operations);
  expect(result.breaking).toEqual([]);
  expect(result.unusedBreaking.join('\n')).toContain(unused);
});

it('additive changes pass', async () => {
  const added = edited(head, (doc) =>
    visit(doc, {
      ObjectTypeDefinition(node) {
        if (node.name.value !== 'Customer') return undefined;
        const field = parse('type X { addedLater: String }').definitions[0] as unknown as { fields: unknown[] };
        return { ...node, fields: [...(node.fields ?? []), ...(field.fields as never[])] };
      },
    }),
  );
  const result = await checkSchemaChange(head, added, operations);
  expect(result.breaking).toEqual([]);
  expect(result.safe.join('\n')).toContain('addedLater');
});

it('with no main branch there is no base, and the check says there is nothing to compare', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'csp-schema-base-'));
  try {
    const git = (...a: string[]) => execFileSync('git', a, { cwd: dir, stdio: 'ignore', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
    git('init', '-q', '-b', 'trunk');
    writeFileSync(path.join(dir, 'x'), 'x');
    git('add', 'x');
    git('commit', '-qm', 'x');
    expect(baseSupergraph(dir)).toBeUndefined();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
