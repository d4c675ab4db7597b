import { Readable } from 'node:stream';
import os from 'node:os';
import type { Connection } from 'mongoose';
import type { Stack } from '@csp/testkit';
import { ratio, type BenchResult } from './measure';
import { METERS, startBillingBench } from './billing-world';

const BATCH = 10_000;
type Db = NonNullable<Connection['db']>;

/** Row `i` of a generated stream (the same rows as billing-world's usageRows), made when sent. */
const usageRow = (i: number, month: string, subs: string[], tag: string) => ({
  recordId: `${tag}-${i}`,
  subscriptionId: subs[i % subs.length],
  meterId: METERS[i % METERS.length],
  quantity: `${(i % 17) + 1}.${String(i % 1000).padStart(3, '0')}`,
  usageDate: `${month}-${String((i % 28) + 1).padStart(2, '0')}`,
});

/** `n` rows as an NDJSON body produced while it is sent (the client holds ~1,000 rows at a time). */
function ndjson(n: number, month: string, subs: string[], tag: string): ReadableStream {
  return Readable.toWeb(
    Readable.from(
      (function* () {
        for (let i = 0; i < n; i += 1000) {
          let chunk = '';
          for (let j = i; j < Math.min(n, i + 1000); j++) chunk += `${JSON.stringify(usageRow(j, month, subs, tag))}\n`;
          yield Buffer.from(chunk);
        }
      })(),
    ),
  ) as ReadableStream;
}

/** Streams `n` rows to the gateway's POST /usage/records; fails unless every row is accepted. */
async function streamRows(stack: Stack, token: string, n: number, month: string, subs: string[], tag: string): Promise<void> {
  const res = await fetch(`${stack.gateway!.url}/usage/records`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
    body: ndjson(n, month, subs, tag),
    duplex: 'half',
  } as RequestInit);
  const text = await res.text();
  const last = JSON.parse(text.trim().split('\n').at(-1) ?? '{}');
  if (res.status !== 200 || last.done?.accepted !== n) throw new Error(`usage stream: ${res.status} ${text.slice(0, 300)}`);
}

/** Peak RSS of this process (gateway, billing and identity run in it) while `fn` runs, sampled every 50 ms. */
async function peakRss<T>(fn: () => Promise<T>): Promise<{ result: T; before: number; peak: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  try {
    const result = await fn();
    return { result, before, peak: Math.max(peak, process.memoryUsage().rss) };
  } finally {
    clearInterval(timer);
  }
}

const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;

/** Milliseconds until no ingestion batch waits to be folded (usage_pending empty). */
async function settled(db: Db): Promise<number> {
  const t = performance.now();
  while ((await db.collection('usage_pending').countDocuments()) > 0) {
    if (performance.now() - t > 60_000) throw new Error('usage folds did not finish within 60 s');
    await new Promise((r) => setTimeout(r, 10));
  }
  return performance.now() - t;
}

/**
 * The floor: the same documents ingestUsage stores, insertMany'd in the same batches into a
 * collection given exactly the real usage_records' indexes (read from it, so the two cannot drift).
 */
async function rawFloor(db: Db, n: number, month: string, subs: string[], tag: string): Promise<{ rate: number; indexes: string[] }> {
  const raw = db.collection('bench_raw_usage');
  const real = (await db.collection('usage_records').indexes()).filter((i) => i.name !== '_id_');
  for (const i of real) await raw.createIndex(i.key, { name: i.name });
  const indexes = (await raw.indexes()).map((i) => i.name!).sort();
  const t = performance.now();
  for (let i = 0; i < n; i += BATCH) {
    const receivedAt = new Date();
    const batch = `ub_raw${i}`;
    const docs = [];
    for (let j = i; j < Math.min(n, i + BATCH); j++) {
      const r = usageRow(j, month, subs, tag);
      docs.push({ _id: r.recordId as never, writer: 'vendor', ...r, month: r.usageDate.slice(0, 7), receivedAt, folded: false, batch });
    }
    await raw.insertMany(docs, { ordered: false });
  }
  const rate = n / ((performance.now() - t) / 1000);
  await raw.drop();
  return { rate, indexes };
}

/**
 * Section 1 of billing's benchmarks: rows/s streamed through POST /usage/records (gateway →
 * billing, batches of 10,000 through ingestUsage) against the raw floor; with BENCH_FULL=1 also
 * a 1,000,000-row stream on a stack of its own (its rows would otherwise be billed by the
 * invoice runs), with the process's peak RSS to show the stream is held in constant memory.
 */
export async function ingestionBenchmark(stack: Stack, token: string, subs: string[], db: Db): Promise<BenchResult> {
  const n = 30_000;
  const t = performance.now();
  const small = await peakRss(() => streamRows(stack, token, n, '2026-06', subs, 'ingest'));
  const viaStream = n / ((performance.now() - t) / 1000);
  // The last batch folds into the totals after the answer (its rows are read as rows meanwhile):
  // the floor runs once that is done, on a store doing nothing else.
  const tail = await settled(db);
  const floor = await rawFloor(db, n, '2026-06', subs, 'raw');
  const realIndexes = (await db.collection('usage_records').indexes()).map((i) => i.name!).sort();
  if (floor.indexes.join() !== realIndexes.join()) throw new Error(`floor indexes ${floor.indexes} differ from usage_records' ${realIndexes}`);
  const r = ratio(viaStream, floor.rate);
  const details = [
    `stream:     ${viaStream.toFixed(0)} rows/s (peak RSS ${mib(small.peak)}, +${mib(small.peak - small.before)} over the start)`,
    `the last batch's fold into the totals ended ${tail.toFixed(0)} ms after the answer`,
    `insertMany: ${floor.rate.toFixed(0)} rows/s into a collection with usage_records' indexes (${realIndexes.join(', ')})`,
  ];
  if (process.env.BENCH_FULL === '1') {
    const big = 1_000_000;
    const own = await startBillingBench(subs.length);
    try {
      const bigToken = await own.stack.operatorToken();
      const t1 = performance.now();
      const run = await peakRss(() => streamRows(own.stack, bigToken, big, '2026-05', own.subscriptionIds, 'million'));
      const secs = (performance.now() - t1) / 1000;
      details.push(
        `1,000,000-row stream: ${(big / secs).toFixed(0)} rows/s (${secs.toFixed(0)} s); peak RSS ${mib(run.peak)}, +${mib(run.peak - run.before)} over its start (30,000 rows: +${mib(small.peak - small.before)}); load ${os.loadavg()[0].toFixed(1)}`,
      );
    } finally {
      await own.stack.stop();
    }
  }
  return {
    name: 'usage ingestion',
    sizes: `${n} rows streamed as NDJSON (POST /usage/records, batches of ${BATCH})`,
    ratioLabel: 'rows/s streamed / rows/s raw insertMany with the same indexes',
    ratio: r,
    target: '>= 0.7',
    met: r >= 0.7,
    details,
  };
}
