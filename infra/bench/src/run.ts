import { startStack } from '@csp/testkit';
import os from 'node:os';
import { gatewayOverhead } from './gateway-overhead';
import { report, type BenchResult } from './measure';

/** `npm run bench`: every benchmark, each a ratio measured in this one run. */
async function main() {
  console.log(`# CSP Commerce Graph benchmarks — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  const stack = await startStack('bench', { env: { RATE_LIMIT_PER_MINUTE: '1000000' } });
  const results: BenchResult[] = [];
  try {
    for (const bench of [gatewayOverhead]) {
      const r = await bench(stack);
      report(r);
      results.push(r);
    }
  } finally {
    await stack.stop();
  }
  console.log(`\n${results.filter((r) => r.met).length} of ${results.length} targets met`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
