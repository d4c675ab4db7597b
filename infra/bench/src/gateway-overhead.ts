import { graphql, OPERATOR, startProcesses } from '@csp/testkit';
import { fmt, ratio, run, type BenchResult } from './measure';

/**
 * Gateway overhead: the same federated read through the gateway, and as a client would do it
 * against the owning subgraphs directly (identity for the user, catalog for the markets). Every
 * service and the gateway run as their own processes, as in production.
 */
export async function gatewayOverhead(n = 600, concurrency = 8): Promise<BenchResult> {
  const ps = await startProcesses('bench-gw', { workers: {} });
  try {
    const login = await graphql(ps.gatewayUrl, 'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', {
      e: OPERATOR.email,
      p: OPERATOR.password,
    });
    const token = login.data.login.accessToken as string;
    const identity = `${ps.baseUrl('identity')}/graphql`;
    const catalog = `${ps.baseUrl('catalog')}/graphql`;
    const viaGateway = () => graphql(ps.gatewayUrl, '{ me { id email kind } markets { code currency } }', {}, { token });
    const direct = () =>
      Promise.all([graphql(identity, '{ me { id email kind } }', {}, { token }), graphql(catalog, '{ markets { code currency } }', {}, { token })]);
    await run(200, concurrency, viaGateway); // warm-up: JIT, connection pools, query plans
    await run(200, concurrency, direct);
    const gw = await run(n, concurrency, viaGateway);
    const dir = await run(n, concurrency, direct);
    const r = ratio(gw.p99, dir.p99);
    return {
      name: 'gateway overhead',
      sizes: `${n} requests, ${concurrency} in flight, a query on 2 subgraphs; each process its own`,
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
  } finally {
    await ps.stop();
  }
}
