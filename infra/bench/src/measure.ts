/** Latency samples → percentiles; timing helpers for the benchmarks (wall time is the point here). */
export interface Stats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  perSecond: number;
  /** The raw latencies (ms), for pooling interleaved rounds. */
  samples: number[];
}

export function stats(samplesMs: number[], totalMs: number): Stats {
  const s = [...samplesMs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { n: s.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), mean: s.reduce((a, b) => a + b, 0) / s.length, perSecond: (s.length / totalMs) * 1000, samples: s };
}

/** Runs `fn` `n` times with `concurrency` in flight; returns per-call latencies. */
export async function run(n: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<Stats> {
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const t = performance.now();
        await fn(i);
        samples.push(performance.now() - t);
      }
    }),
  );
  return stats(samples, performance.now() - started);
}

export const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
export const ratio = (a: number, b: number) => (b === 0 ? Infinity : a / b);

export interface BenchResult {
  name: string;
  sizes: string;
  /** e.g. "p99 gateway / p99 direct" */
  ratioLabel: string;
  ratio: number;
  target: string;
  met: boolean;
  details: string[];
}

export function report(r: BenchResult): void {
  console.log(`\n## ${r.name}  (${r.sizes})`);
  for (const d of r.details) console.log(`   ${d}`);
  console.log(`   ${r.ratioLabel} = ${r.ratio.toFixed(2)}   target ${r.target}   ${r.met ? 'MET' : 'MISSED'}`);
}

/** A timed call must have answered: a benchmark of error responses measures nothing. */
export function answered<T extends { errors?: unknown[] }>(r: T, what: string): T {
  if (r.errors?.length) throw new Error(`${what} answered with errors: ${JSON.stringify(r.errors).slice(0, 300)}`);
  return r;
}
