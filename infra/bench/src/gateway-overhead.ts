import { graphql, OPERATOR, startProcesses } from '@csp/testkit';
import { answered, fmt, ratio, run, stats, type BenchResult, type Stats } from './measure';
import { processCpu } from './process-cpu';

/**
 * Gateway overhead: the same federated read through the gateway, and as a client would do it
 * against the owning subgraphs directly (identity for the user, catalog for the markets). Every
 * service and the gateway run as their own processes, as in production.
 */
export async function gatewayOverhead(n = 2000, concurrency = 8): Promise<BenchResult> {
  // Deduplication off: every request through the gateway makes its own subgraph calls, as the
  // direct path does (with it on, identical requests share calls and the gateway "wins" unfairly).
  const ps = await startProcesses('bench-gw', { workers: {}, env: { SUBGRAPH_DEDUPE: 'off', REQUEST_DEDUPE: 'off' } });
  try {
    const login = await graphql(ps.gatewayUrl, 'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', {
      e: OPERATOR.email,
      p: OPERATOR.password,
    });
    const token = login.data.login.accessToken as string;
    const identity = `${ps.baseUrl('identity')}/graphql`;
    const catalog = `${ps.baseUrl('catalog')}/graphql`;
    // Direct calls carry the proof the gateway signs (subgraphs answer only the gateway).
    const internal = ps.env.INTERNAL_SECRET;
    const viaGateway = async () => answered(await graphql(ps.gatewayUrl, '{ me { id email kind } markets { code currency } }', {}, { token }), 'gateway');
    const direct = () =>
      Promise.all([
        graphql(identity, '{ me { id email kind } }', {}, { token, internal }).then((r) => answered(r, 'identity')),
        graphql(catalog, '{ markets { code currency } }', {}, { token, internal }).then((r) => answered(r, 'catalog')),
      ]);
    await run(200, concurrency, viaGateway); // warm-up: JIT, connection pools, query plans
    await run(200, concurrency, direct);
    // Interleaved A/B/A/B rounds, so drift in the machine's load (other work on it) hits both paths alike.
    const cpu = processCpu();
    // 2,000 a path: the 99th percentile is then the 20th slowest, not the 6th (one scheduling hiccup).
    const { gw, dir } = await interleaved(n, concurrency, viaGateway, direct, 20);
    const gatewayCpu = ((processCpu().get('gateway') ?? 0) - (cpu.get('gateway') ?? 0)) / n;
    const r = ratio(gw.p99, dir.p99);
    return {
      name: 'gateway overhead',
      sizes: `${n} requests per path in 20 interleaved rounds, ${concurrency} in flight, a query on 2 subgraphs, gateway deduplication off; each process its own`,
      ratioLabel: 'p99 via gateway / p99 direct',
      ratio: r,
      target: '<= 1.3',
      met: r <= 1.3,
      details: [
        `via gateway: p50 ${fmt(gw.p50)}  p99 ${fmt(gw.p99)}  ${gw.perSecond.toFixed(0)} req/s`,
        `direct:      p50 ${fmt(dir.p50)}  p99 ${fmt(dir.p99)}  ${dir.perSecond.toFixed(0)} req/s`,
        `throughput ratio (gateway/direct) = ${ratio(gw.perSecond, dir.perSecond).toFixed(2)}`,
        `gateway CPU per request: ${gatewayCpu.toFixed(1)} ms`,
      ],
    };
  } finally {
    await ps.stop();
  }
}

/** `rounds` alternating rounds (A B B A A B …) of each path; percentiles over all of a path's samples. */
export async function interleaved(
  n: number,
  concurrency: number,
  a: (i: number) => Promise<unknown>,
  b: (i: number) => Promise<unknown>,
  rounds = 10,
): Promise<{ gw: Stats; dir: Stats }> {
  const samples = { a: [] as number[], b: [] as number[] };
  const time = { a: 0, b: 0 };
  const per = Math.ceil(n / rounds);
  for (let r = 0; r < rounds; r++) {
    for (const which of r % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const)) {
      const t = performance.now();
      const s = await run(per, concurrency, which === 'a' ? a : b);
      time[which] += performance.now() - t;
      samples[which].push(...s.samples);
    }
  }
  return { gw: stats(samples.a, time.a), dir: stats(samples.b, time.b) };
}
