import fs from 'node:fs';
import path from 'node:path';

/**
 * Every service wires its resolvers the same way: `context.ts` (the context type), `deps.ts`
 * (`buildDeps(rt)`: what the domain needs) and `loaders.ts` (`<service>Loaders(deps, caller)`:
 * the DataLoaders of one request). Deps never hold the Runtime, so resolvers and domain code
 * cannot reach Redis, Mongo or Express; only the process wiring (app.ts, worker-app.ts) may.
 */
const root = path.resolve(__dirname, '../..');
const SERVICES = fs.readdirSync(path.join(root, 'services')).filter((s) => fs.existsSync(path.join(root, 'services', s, 'src', 'deps.ts')));
const WIRING = new Set(['app.ts', 'worker-app.ts', 'index.ts', 'worker.ts', 'deps.ts']);

const pascal = (s: string) => s.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());
const camel = (s: string) => pascal(s).replace(/^./, (c) => c.toLowerCase());
const read = (service: string, file: string) => fs.readFileSync(path.join(root, 'services', service, 'src', file), 'utf8');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

it('finds the services', () => {
  expect(SERVICES).toEqual(expect.arrayContaining(['identity', 'catalog', 'subscription', 'access-control', 'billing', 'support']));
});

describe.each(SERVICES)('%s', (service) => {
  const X = pascal(service);

  it('has context.ts, deps.ts and loaders.ts of the one shape', () => {
    expect(read(service, 'context.ts')).toContain(`export interface ${X}Context extends BaseContext {\n  deps: ${X}Deps;\n  loaders: ${X}Loaders;\n}`);
    expect(read(service, 'deps.ts')).toMatch(/export async function buildDeps\(rt: Runtime</);
    expect(read(service, 'deps.ts')).toContain(`export type ${X}Deps = `);
    expect(read(service, 'loaders.ts')).toContain(`export function ${camel(service)}Loaders(deps: ${X}Deps, `);
    expect(read(service, 'loaders.ts')).toContain(`export type ${X}Loaders = ReturnType<typeof ${camel(service)}Loaders>;`);
  });

  it('keeps the Runtime out of its deps, resolvers and domain code', () => {
    expect(read(service, 'deps.ts')).not.toMatch(/\{\s*rt,|\brt: rt\b/);
    const src = path.join(root, 'services', service, 'src');
    const reaching = sources(src)
      .filter((f) => !(path.dirname(f) === src && WIRING.has(path.basename(f))))
      .filter((f) => /\bdeps\.rt\b|\bRuntime\b/.test(fs.readFileSync(f, 'utf8')))
      .map((f) => path.relative(src, f));
    expect(reaching).toEqual([]);
  });
});
