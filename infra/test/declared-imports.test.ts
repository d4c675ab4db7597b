import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Every workspace says what it uses of the others: an import of `@csp/<pkg>[/<entry>]` names a
 * package its package.json depends on (devDependencies for tests) and an entry point that
 * package exports — never a file inside its dist/. Tests resolve those entry points to sources
 * through one list (infra/scripts/test-paths.js), which tsconfig.test.json must match.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { entryPoints, testPaths, root } = require('../scripts/test-paths') as {
  entryPoints: () => Array<[string, string]>;
  testPaths: () => Record<string, string[]>;
  root: string;
};

interface Pkg {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const WORKSPACES = ['packages', 'services']
  .flatMap((d) => fs.readdirSync(path.join(root, d)).map((s) => `${d}/${s}`))
  .concat('gateway', 'infra/bench')
  .filter((d) => fs.existsSync(path.join(root, d, 'package.json')));

/** `@csp/...` module names imported by the TypeScript files below `dir` (none when it is absent). */
function importsUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  let out = '';
  try {
    out = execFileSync('grep', ['-rhoE', "(from|import\\() *'@csp/[^']+'", '--include=*.ts', dir], { encoding: 'utf8' });
  } catch {
    return []; // grep exits 1 when nothing matches
  }
  return [...new Set(out.split('\n').filter(Boolean).map((l) => l.slice(l.indexOf("'") + 1, -1)))];
}

const packageOf = (name: string) => name.split('/').slice(0, 2).join('/');
const exported = entryPoints().map(([name]) => name);
const isExported = (name: string) => exported.some((e) => (e.endsWith('/*') ? name.startsWith(e.slice(0, -1)) : e === name));

describe.each(WORKSPACES)('%s', (dir) => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, dir, 'package.json'), 'utf8')) as Pkg;
  const deps = new Set(Object.keys(pkg.dependencies ?? {}));
  const devDeps = new Set([...deps, ...Object.keys(pkg.devDependencies ?? {})]);

  it('depends on every package its sources import, through entry points it exports', () => {
    const used = importsUnder(path.join(root, dir, 'src')).filter((n) => packageOf(n) !== pkg.name);
    expect(used.filter((n) => !deps.has(packageOf(n)))).toEqual([]);
    expect(used.filter((n) => !isExported(n))).toEqual([]);
  });

  it('declares what its tests import, through exported entry points', () => {
    const used = importsUnder(path.join(root, dir, 'test')).filter((n) => packageOf(n) !== pkg.name);
    expect(used.filter((n) => !devDeps.has(packageOf(n)))).toEqual([]);
    expect(used.filter((n) => !isExported(n))).toEqual([]);
  });
});

it("tsconfig.test.json's paths are the declared entry points (node infra/scripts/test-paths.js)", () => {
  const config = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.test.json'), 'utf8')) as { compilerOptions: { paths: unknown } };
  expect(config.compilerOptions.paths).toEqual(testPaths());
});
