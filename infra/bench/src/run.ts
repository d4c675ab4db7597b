import { startStack } from '@csp/testkit';
import os from 'node:os';
import { billingBenchmarks } from './billing';
import { gatewayOverhead } from './gateway-overhead';
import { report, type BenchResult } from './measure';
import { storeQueries } from './store-queries';
import { idleStoreQueries } from './idle-store';
import { customerOverview } from './customer-overview';
import { gatewayPeer } from './gateway-peer';
import { startProcessWorld } from './process-world';
import { provisioning } from './provisioning';
import { buildBenchWorld, type BenchWorld } from './world';

/**
 * `npm run bench [name…]`: every benchmark (or the named ones), each a ratio measured in this
 * one run against a floor on the same machine and stores.
 */
async function main() {
  const only = new Set(process.argv.slice(2));
  const want = (name: string) => only.size === 0 || only.has(name);
  console.log(`# CSP Commerce Graph benchmarks — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  console.log(`# store: ${process.env.CSP_STORE_BACKEND ?? `MONGO_URL=${process.env.MONGO_URL}`}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const results: BenchResult[] = [];
  const record = (r: BenchResult) => {
    report(r);
    results.push(r);
  };

  if (want('gateway-overhead')) record(await gatewayOverhead());
  if (want('billing')) {
    // 1M rows takes long on the local FerretDB: BENCH_FULL=1 adds it.
    const sizes = process.env.BENCH_FULL === '1' ? [10_000, 100_000, 1_000_000] : [10_000, 100_000];
    for (const r of await billingBenchmarks(sizes)) record(r);
  }
  if (want('customer-overview') || want('gateway-peer')) {
    // Gateway and subgraphs as their own processes: the gateway process is measured on its own.
    const pw = await startProcessWorld(100);
    try {
      if (want('customer-overview')) record(await customerOverview(pw));
      if (want('gateway-peer')) {
        // BENCH_PEER="on:8,off:8,on:32,on:8:one" (dedupe for both : connections [: one customer]) chooses the comparisons.
        for (const spec of (process.env.BENCH_PEER ?? 'on:8,off:8').split(',')) {
          const [dedupe, connections, one] = spec.split(':');
          record(await gatewayPeer(pw, dedupe === 'on', Number(connections), one === 'one'));
        }
      }
    } finally {
      await pw.stop();
    }
  }
  if (!['store-queries', 'idle-store', 'provisioning'].some(want)) return summary(results);
  const stack = await startStack('bench', { env: { RATE_LIMIT_PER_MINUTE: '100000000' } });
  try {
    let world: BenchWorld | undefined;
    const theWorld = async () => (world ??= await buildBenchWorld(stack, 100));
    if (want('store-queries')) record(await storeQueries(stack, await theWorld()));
    if (want('idle-store')) {
      await theWorld();
      record(await idleStoreQueries(stack));
    }
    if (want('provisioning')) record(await provisioning(stack, await theWorld()));
  } finally {
    await stack.stop();
  }
  summary(results);
}

function summary(results: BenchResult[]): void {
  console.log(`\n${results.filter((r) => r.met).length} of ${results.length} targets met`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
