import { interleaved } from './gateway-overhead';
import { fmt, ratio, run, type BenchResult } from './measure';
import { processCpu } from './process-cpu';
import type { ProcessWorld } from './process-world';

/**
 * Our gateway against Hive Gateway (`@graphql-hive/gateway`, hive-gateway.ts) on the same
 * supergraph and the same subgraph processes: the contract's CustomerOverview with a partner
 * token, `connections` in flight, in interleaved A/B rounds so the machine's load hits both alike.
 * In-flight deduplication on for both (ours: identical subgraph queries and identical requests of
 * one caller; Hive's: identical incoming requests of one caller) or off for both.
 */
export async function gatewayPeer(pw: ProcessWorld, dedupe: boolean, connections = 8, oneCustomer = false, n = 600): Promise<BenchResult> {
  const ours = dedupe ? pw.ps.gatewayUrl : await pw.ourGateway({ SUBGRAPH_DEDUPE: 'off', REQUEST_DEDUPE: 'off' });
  const hive = await pw.hiveGateway(dedupe);
  // oneCustomer: every request the same (a hot page), where whole identical requests can be shared.
  const a = (i: number) => pw.overview(ours, oneCustomer ? 0 : i);
  const b = (i: number) => pw.overview(hive, oneCustomer ? 0 : i);
  await run(100, connections, a); // warm-up: JIT, pools, query plans
  await run(100, connections, b);
  const cpu = processCpu();
  const { gw: o, dir: h } = await interleaved(n, connections, a, b);
  const after = processCpu();
  const cpuOf = (name: string) => (((after.get(name) ?? 0) - (cpu.get(name) ?? 0)) / n).toFixed(1);
  const r = ratio(o.perSecond, h.perSecond);
  return {
    name: `gateway vs Hive Gateway, dedupe ${dedupe ? 'on' : 'off'} for both, ${connections} connections${oneCustomer ? ', one customer' : ''}`,
    sizes: `${n} CustomerOverview requests per gateway in 10 interleaved rounds, partner token, ${oneCustomer ? 'the same customer every time' : `${pw.world.customerIds.length} customers in turn`}; each process its own`,
    ratioLabel: 'requests/s ours / Hive',
    ratio: r,
    // Issue 22: ours >= Hive's RPS at equal p95 (p95 no worse than Hive's, with 10% for noise).
    target: '>= 1 at p95 <= 1.1 x Hive',
    met: r >= 1 && o.p95 <= h.p95 * 1.1,
    details: [
      `ours: p50 ${fmt(o.p50)}  p95 ${fmt(o.p95)}  p99 ${fmt(o.p99)}  ${o.perSecond.toFixed(1)} req/s`,
      `Hive: p50 ${fmt(h.p50)}  p95 ${fmt(h.p95)}  p99 ${fmt(h.p99)}  ${h.perSecond.toFixed(1)} req/s`,
      `p95 ours / Hive = ${ratio(o.p95, h.p95).toFixed(2)}; gateway CPU per request: ours ${cpuOf('gateway')} ms, Hive ${cpuOf('hive-gateway')} ms`,
    ],
  };
}
