import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildWorld, graphAt, type BuiltWorld } from '@csp/fixtures';
import { contractOperation, eventually, OPERATOR, startProcesses, type ProcessStack } from '@csp/testkit';

/**
 * One trace per request across every hop, with the processes `make up` starts: each exports
 * OTLP (JSON over HTTP) to an in-memory span collector in this test.
 */
interface CollectedSpan {
  service: string;
  scope: string;
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
}
const spans: CollectedSpan[] = [];
let collector: Server;
let ps: ProcessStack;
let world: BuiltWorld;

beforeAll(async () => {
  collector = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const msg = JSON.parse(body || '{}');
      for (const rs of msg.resourceSpans ?? []) {
        const service = rs.resource?.attributes?.find((a: { key: string }) => a.key === 'service.name')?.value?.stringValue ?? '?';
        for (const ss of rs.scopeSpans ?? [])
          for (const s of ss.spans ?? []) spans.push({ service, scope: ss.scope?.name ?? '', name: s.name, traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId || undefined });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  ps = await startProcesses('otel', {
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      PROVISIONING_BACKOFF_MS: '100',
      BILLING_RUN_SETTLE_MS: '200',
      LOG_LEVEL: 'warn',
    },
  });
  // Each step waits up to 3 minutes: a busy machine (tracing every hop, other work beside) is slow, not wrong.
  world = await buildWorld(graphAt(ps.gatewayUrl), { operator: OPERATOR, tag: 'otel', timeoutMs: 180_000 });
}, 420_000);

afterAll(async () => {
  await ps?.stop();
  await new Promise((r) => collector?.close(r));
});

/**
 * Runs an operation through the gateway as a traced client would: with a W3C traceparent of a
 * fresh trace id, which every span of the request must then carry.
 */
async function traced(query: string, variables: Record<string, unknown>, token: string) {
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  const traceId = hex(32);
  const clientSpanId = hex(16);
  const res = await fetch(ps.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, traceparent: `00-${traceId}-${clientSpanId}-01` },
    body: JSON.stringify({ query, variables }),
  });
  const r = await res.json();
  expect(r.errors).toBeUndefined();
  return { data: r.data, traceId, clientSpanId };
}
const inTrace = (traceId: string) => spans.filter((s) => s.traceId === traceId);

it('one CustomerOverview gives one trace: the gateway, each subgraph it touches, and their store calls', async () => {
  const { traceId, clientSpanId } = await traced(contractOperation('CustomerOverview').source, { id: world.customers.CB.id }, world.partners.A.token);
  const services = ['gateway', 'identity', 'subscription', 'access-control'];
  const trace = await eventually(async () => {
    const t = inTrace(traceId);
    const has = (svc: string, scope: RegExp) => t.some((s) => s.service === svc && scope.test(s.scope));
    // One tree, not fragments: every span's parent is in the trace, but the gateway's request span,
    // whose parent is the client's. A server span ends (and is exported) after its children, in a
    // later batch: wait for the tree to be whole; one that never is fails here, naming the orphans.
    const ids = new Set([...t.map((s) => s.spanId), clientSpanId]);
    const orphans = t.filter((s) => !s.parentSpanId || !ids.has(s.parentSpanId)).map((s) => `${s.service} ${s.name}`);
    if (services.every((svc) => has(svc, /instrumentation-(http|undici)/)) && has('identity', /mongodb/) && has('subscription', /mongodb/) && !orphans.length) return t;
    throw new Error(`the trace so far:\n${t.map((s) => `${s.service} [${s.scope}] ${s.name}`).join('\n')}\nwithout a parent: ${orphans.join(', ')}`);
  }, 30_000, 'spans of every hop, in one tree');
  // Apollo Gateway's own spans (plan, fetch per subgraph) belong to the same trace.
  expect(trace.some((s) => s.service === 'gateway' && s.scope === 'apollo/gateway-js' && s.name === 'gateway.fetch')).toBe(true);
  expect(trace.some((s) => s.service === 'identity' && /graphql/.test(s.scope))).toBe(true);
  expect(trace.filter((s) => s.parentSpanId === clientSpanId).map((s) => s.service)).toEqual(['gateway']);
});

it('one placeOrder gives one trace that continues into the provisioning job and the access-control command', async () => {
  const { data, traceId, clientSpanId } = await traced(
    'mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id lineItems { subscription { id } } } } }',
    { input: { customerId: world.customers.CB.id, idempotencyKey: `otel-${Math.random().toString(36).slice(2)}`, lineItems: [{ offerId: 'off_azure_plan', quantity: 1, friendlyName: 'traced' }] } },
    world.partners.A.token,
  );
  expect(data.placeOrder.order.id).toBeTruthy();
  // The access-control command descends from the provisioning job, which descends from the
  // request. Spans arrive in batches, parents after children: wait until the chain is whole.
  const ancestorsIn = (t: CollectedSpan[]) => {
    const byId = new Map(t.map((s) => [s.spanId, s]));
    const up = (s: CollectedSpan): CollectedSpan[] => (s.parentSpanId && byId.has(s.parentSpanId) ? [byId.get(s.parentSpanId)!, ...up(byId.get(s.parentSpanId)!)] : []);
    return up;
  };
  const trace = await eventually(async () => {
    const t = inTrace(traceId);
    const job = t.find((s) => s.service === 'subscription-worker' && s.name === 'subscription-provisioning process provision');
    const command = t.find((s) => s.service === 'access-control' && s.name === 'events-access-control process subscription.activated');
    const ancestors = ancestorsIn(t);
    return job && command && ancestors(command).includes(job) && ancestors(job).at(-1)?.service === 'gateway' ? { t, job, command, ancestors } : undefined;
  }, 60_000, 'the job and the command in one chain of the trace');
  const ancestors = trace.ancestors;
  expect(ancestors(trace.command)).toContain(trace.job);
  expect(ancestors(trace.job).some((s) => s.service === 'subscription')).toBe(true);
  expect(ancestors(trace.job).at(-1)).toMatchObject({ service: 'gateway', parentSpanId: clientSpanId });
  // The job's own store calls are in the trace too.
  expect(trace.t.some((s) => s.service === 'subscription-worker' && /mongodb/.test(s.scope))).toBe(true);
});
