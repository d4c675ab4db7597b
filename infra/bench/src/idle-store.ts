import type { Stack } from '@csp/testkit';
import type { BenchResult } from './measure';

const WINDOW_MS = 10_000;

/**
 * Store queries per idle second across every service of the stack: with nobody using the
 * system, nothing should poll the store (outbox relays are woken by writes; their safety sweep
 * is slow). Measured after the work of building the world has settled.
 */
export async function idleStoreQueries(stack: Stack): Promise<BenchResult> {
  const names = Object.keys(stack.services) as Array<keyof Stack['services']>;
  const counts = () => Object.fromEntries(names.map((n) => [n, stack.services[n]!.rt.mongo.commandCount()]));
  const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
  // Settle: wait (up to 30 s) for a quiet second, so consumers finishing earlier events do not count.
  for (let i = 0; i < 30; i++) {
    const before = total(counts());
    await new Promise((r) => setTimeout(r, 1_000));
    if (total(counts()) - before <= 1) break;
  }
  const before = counts();
  await new Promise((r) => setTimeout(r, WINDOW_MS));
  const after = counts();
  const per = names.map((n) => [n, (after[n] - before[n]) / (WINDOW_MS / 1000)] as const);
  const perSecond = per.reduce((a, [, v]) => a + v, 0);
  return {
    name: 'idle store load',
    sizes: `${WINDOW_MS / 1000} s with no requests, ${names.length} services`,
    ratioLabel: 'store queries per idle second, all services',
    ratio: perSecond,
    target: '<= 5',
    met: perSecond <= 5,
    details: per.map(([n, v]) => `${String(n).padEnd(15)} ${v.toFixed(1)} queries/s`),
  };
}
