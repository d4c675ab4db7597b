import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@csp/testkit';

/**
 * Domain time comes from the platform clock (`clock.now()`), so the test clock moves it for
 * every service and worker. Reading the system clock is allowed only where the reason is
 * technical, in these files.
 */
const ALLOWED = new Set([
  'packages/kernel/src/runtime/clock.ts', // the clock itself
  'packages/kernel/src/runtime/ids.ts', // id ordering, not domain time
  'packages/kernel/src/auth/tokens.ts', // JWT lifetimes guard access in real time
  'packages/kernel/src/ops/queue-metrics.ts', // queue lag against BullMQ's own wall-clock job stamps
  'packages/kernel/src/auth/internal-proof.ts', // the gateway's proof guards transport in real time
]);
const SYSTEM_CLOCK = /\bDate\.now\(\)|new Date\(\s*\)/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (name === 'node_modules' || name === 'dist' || name === 'test') return [];
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

it('no domain code reads the system clock directly', () => {
  const roots = ['services', 'packages', 'gateway/src'].map((r) => path.join(REPO_ROOT, r));
  const offenders = roots
    .flatMap(sources)
    .map((f) => path.relative(REPO_ROOT, f))
    .filter((f) => !ALLOWED.has(f) && !f.startsWith('packages/testkit/'))
    .flatMap((f) =>
      readFileSync(path.join(REPO_ROOT, f), 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `${f}:${i + 1}` }))
        .filter(({ line }) => SYSTEM_CLOCK.test(line) && !line.trim().startsWith('//') && !line.trim().startsWith('*'))
        .map(({ at, line }) => `${at}: ${line.trim()}`),
    );
  expect(offenders).toEqual([]);
});

it('the check itself catches both forms', () => {
  expect(SYSTEM_CLOCK.test('const t = Date.now();')).toBe(true);
  expect(SYSTEM_CLOCK.test('const t = new Date();')).toBe(true);
  expect(SYSTEM_CLOCK.test('const t = new Date(value);')).toBe(false);
});
