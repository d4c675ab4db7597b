import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { Supergraph } from '@apollo/federation-internals';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  Kind,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

/**
 * Schema-change check (CI, through gateway/test/schema-check.test.ts and `npm run check-schema`):
 * the API schema of the committed supergraph against the one on main; a breaking change
 * (graphql-inspector's criticality) fails when an operation a frontend runs uses what it
 * breaks — the contract's (../shared/contract) and those kept in this repository.
 */
export interface Operation {
  name: string;
  file: string;
  document: DocumentNode;
}

export interface BrokenChange {
  change: string;
  path: string;
  operations: string[];
}

export interface SchemaCheckResult {
  breaking: BrokenChange[];
  /** Breaking by the schema's rules, but no known operation uses it. */
  unusedBreaking: string[];
  safe: string[];
}

/** What clients see: the supergraph without join/link machinery and @inaccessible parts. */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}

export async function checkSchemaChange(base: GraphQLSchema, head: GraphQLSchema, operations: Operation[]): Promise<SchemaCheckResult> {
  const changes = await diff(base, head);
  const uses = operations.map((op) => ({ label: `${op.name} (${op.file})`, coords: coordinatesUsed(base, op.document) }));
  const result: SchemaCheckResult = { breaking: [], unusedBreaking: [], safe: [] };
  for (const c of changes as Change[]) {
    if (c.criticality.level !== CriticalityLevel.Breaking) {
      result.safe.push(c.message);
      continue;
    }
    const p = c.path ?? '';
    const broken = uses.filter((u) => [...u.coords].some((k) => touches(base, k, p))).map((u) => u.label);
    if (broken.length) result.breaking.push({ change: c.message, path: p, operations: broken });
    else result.unusedBreaking.push(c.message);
  }
  return result;
}

/**
 * Does a change at `changed` break an operation that uses coordinate `used`? Yes when it is the
 * same thing, a part of it (a removed type whose field the operation selects), or a new or
 * changed part of a field, input type or enum the operation uses (a required argument added,
 * an enum value removed) — not merely another field of an object type the operation selects.
 */
function touches(schema: GraphQLSchema, used: string, changed: string): boolean {
  if (used === changed || used.startsWith(`${changed}.`)) return true;
  if (!changed.startsWith(`${used}.`)) return false;
  if (used.includes('.')) return true;
  const t = schema.getType(used);
  return isInputObjectType(t) || isEnumType(t);
}

/** Schema coordinates (Type, Type.field, Type.field.arg, Enum.VALUE, Input.field) a document touches. */
export function coordinatesUsed(schema: GraphQLSchema, doc: DocumentNode): Set<string> {
  const used = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  const addInput = (t: ReturnType<typeof getNamedType> | undefined, seen = new Set<string>()) => {
    if (!t || seen.has(t.name)) return;
    seen.add(t.name);
    used.add(t.name);
    if (isInputObjectType(t)) for (const f of Object.values(t.getFields())) addInput(getNamedType(f.type), seen);
  };
  visit(
    doc,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (!parent || !field) return;
        used.add(parent.name);
        used.add(`${parent.name}.${field.name}`);
        used.add(getNamedType(field.type).name);
      },
      Argument() {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        const arg = typeInfo.getArgument();
        if (parent && field && arg) used.add(`${parent.name}.${field.name}.${arg.name}`);
        if (arg) addInput(getNamedType(arg.type));
      },
      ObjectField() {
        const input = typeInfo.getParentInputType();
        const named = input && getNamedType(input);
        if (named) used.add(named.name);
      },
      EnumValue(node) {
        const t = typeInfo.getInputType();
        if (t) used.add(`${getNamedType(t).name}.${node.value}`);
      },
      VariableDefinition(node) {
        const name = node.type.kind === Kind.NAMED_TYPE ? node.type.name.value : undefined;
        const t = schema.getType(name ?? namedTypeOf(node.type));
        if (t) addInput(t as ReturnType<typeof getNamedType>);
      },
      InlineFragment(node) {
        if (node.typeCondition) used.add(node.typeCondition.name.value);
      },
    }),
  );
  return used;
}

function namedTypeOf(t: { kind: Kind; type?: unknown; name?: { value: string } }): string {
  return t.name ? t.name.value : namedTypeOf(t.type as never);
}

/** Named operations of .graphql files and of ```graphql blocks in Markdown files. */
export function loadOperations(files: string[], root: string): Operation[] {
  const ops: Operation[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const sources = file.endsWith('.md') ? [...text.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]) : [text];
    for (const src of sources) {
      let doc: DocumentNode;
      try {
        doc = parse(src);
      } catch {
        continue; // a snippet, not a document
      }
      for (const def of doc.definitions) {
        if (def.kind !== Kind.OPERATION_DEFINITION) continue;
        const op = def as OperationDefinitionNode;
        const fragments = doc.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
        ops.push({
          name: op.name?.value ?? '(anonymous)',
          // Contract files by name (as the contract test names them), the repository's by path.
          file: file.startsWith(`${root}${path.sep}`) ? path.relative(root, file) : path.basename(file),
          document: { kind: Kind.DOCUMENT, definitions: [op, ...fragments] },
        });
      }
    }
  }
  return ops;
}

/** The contract's operations and the frontend operations kept in the repository. */
export function frontendOperationFiles(repoRoot: string, contractDir = process.env.CONTRACT_DIR ?? path.resolve(repoRoot, '../shared/contract')): string[] {
  const contract = existsSync(contractDir) ? readdirSync(contractDir).filter((f) => f.endsWith('.graphql')).sort().map((f) => path.join(contractDir, f)) : [];
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      if (['node_modules', 'dist', '.git', '.data'].includes(e.name)) return [];
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return walk(p);
      return e.name.endsWith('.graphql') && !['supergraph.graphql', 'schema.graphql'].includes(e.name) ? [p] : []; // schemas, not operations
    });
  const walkthrough = path.join(repoRoot, 'gateway/WALKTHROUGH.md');
  return [...contract, ...walk(repoRoot), ...(existsSync(walkthrough) ? [walkthrough] : [])];
}

/**
 * The supergraph on main to compare with: at the merge base with main (origin/main, else main),
 * so changes that landed on main since this branch left it are not counted as this branch's.
 * Undefined when there is no main (a fresh repository) or main has no supergraph yet.
 */
export function baseSupergraph(repoRoot: string, file = 'gateway/supergraph.graphql'): { ref: string; sdl: string } | undefined {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  for (const main of [process.env.SCHEMA_BASE_REF, 'origin/main', 'main'].filter(Boolean) as string[]) {
    let ref: string;
    try {
      ref = git('merge-base', 'HEAD', main);
    } catch {
      continue;
    }
    try {
      return { ref: `${main} (merge base ${ref.slice(0, 10)})`, sdl: git('show', `${ref}:${file}`) };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function formatResult(r: SchemaCheckResult): string {
  const lines: string[] = [];
  for (const b of r.breaking) lines.push(`BREAKING ${b.change}\n  used by: ${b.operations.join(', ')}`);
  for (const u of r.unusedBreaking) lines.push(`breaking, but no known operation uses it: ${u}`);
  for (const s of r.safe) lines.push(`safe: ${s}`);
  return lines.join('\n');
}
