import { fmt, run, type BenchResult } from './measure';
import { cpuPerRequest, processCpu } from './process-cpu';
import type { ProcessWorld } from './process-world';

/**
 * The contract's one-graph query (`CustomerOverview`, customers.graphql) with a partner token,
 * `connections` in flight, through our gateway, with the gateway, every subgraph and both
 * workers as their own processes (issue 22's load test).
 */
export async function customerOverview(pw: ProcessWorld, seconds = 10, connections = 8): Promise<BenchResult> {
  const ask = (i: number) => pw.overview(pw.ps.gatewayUrl, i);
  await run(50, connections, ask); // warm-up
  // As many as fit in `seconds`, estimated from a short probe.
  const probe = await run(40, connections, ask);
  const n = Math.max(40, Math.round(probe.perSecond * seconds));
  const cpu = processCpu();
  const s = await run(n, connections, ask);
  const where = cpuPerRequest(cpu, processCpu(), n);
  return {
    name: 'CustomerOverview throughput',
    sizes: `${n} requests over ${pw.world.customerIds.length} customers, ${connections} connections, partner token, gateway and subgraphs each their own process`,
    ratioLabel: 'requests per second',
    ratio: s.perSecond,
    // Issue 22: >= 4x the 12-19 requests/s its multi-process load test measured before.
    target: '>= 48',
    met: s.perSecond >= 48,
    details: [`p50 ${fmt(s.p50)}  p95 ${fmt(s.p95)}  p99 ${fmt(s.p99)}  ${s.perSecond.toFixed(1)} req/s`, `CPU ms per request by process: ${where}`],
  };
}
