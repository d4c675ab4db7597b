import { graphql, type Stack } from '@csp/testkit';
import { fmt, ratio, run, type BenchResult } from './measure';

/**
 * Gateway overhead: the same federated read through the gateway, and as a client would do it
 * against the owning subgraphs directly (identity for the user, catalog for the markets).
 */
export async function gatewayOverhead(stack: Stack, n = 600, concurrency = 8): Promise<BenchResult> {
  const token = await stack.operatorToken();
  const identity = `${stack.identity.url}/graphql`;
  const catalog = `${stack.services.catalog!.url}/graphql`;
  const viaGateway = () => graphql(stack.gatewayUrl, '{ me { id email kind } markets { code currency } }', {}, { token });
  const direct = () =>
    Promise.all([graphql(identity, '{ me { id email kind } }', {}, { token }), graphql(catalog, '{ markets { code currency } }', {}, { token })]);
  await run(100, concurrency, viaGateway); // warm-up: JIT, connection pools, query plans
  await run(100, concurrency, direct);
  const gw = await run(n, concurrency, viaGateway);
  const dir = await run(n, concurrency, direct);
  const r = ratio(gw.p99, dir.p99);
  return {
    name: 'gateway overhead',
    sizes: `${n} requests, ${concurrency} in flight, query on 2 subgraphs`,
    ratioLabel: 'p99 via gateway / p99 direct',
    ratio: r,
    target: '<= 1.3',
    met: r <= 1.3,
    details: [
      `via gateway: p50 ${fmt(gw.p50)}  p99 ${fmt(gw.p99)}  ${gw.perSecond.toFixed(0)} req/s`,
      `direct:      p50 ${fmt(dir.p50)}  p99 ${fmt(dir.p99)}  ${dir.perSecond.toFixed(0)} req/s`,
      `throughput ratio (gateway/direct) = ${ratio(gw.perSecond, dir.perSecond).toFixed(2)}`,
    ],
  };
}
