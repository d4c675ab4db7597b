import { auditServer } from 'graphql-http';
import { startGateway, type RunningGateway } from '../src/server';
import { errorCode, startStack, type Stack } from '@csp/testkit';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('security');
});
afterAll(() => stack?.stop());

function gatewayEnv(extra: Record<string, string>) {
  return {
    ...stack.env,
    JWKS_URL: `${stack.identity.url}/.well-known/jwks.json`,
    ...Object.fromEntries(
      Object.entries(stack.services).map(([n, s]) => [`${n.toUpperCase().replace('-', '_')}_URL`, `${s!.url}/graphql`]),
    ),
    ...extra,
  };
}

async function post(url: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const r = await fetch(url, { method: 'POST', headers, body });
  const text = await r.text();
  let json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: r.status, json, text };
}

describe('GraphQL over HTTP conformance (graphql-http audits)', () => {
  it('reports no errors against the gateway', async () => {
    const results = await auditServer({ url: stack.gatewayUrl });
    const errors = results.filter((r) => r.status === 'error').map((r) => `${r.id} ${r.name}: ${'reason' in r ? r.reason : ''}`);
    expect(errors).toEqual([]);
  });
});

describe('production mode', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startGateway(gatewayEnv({ NODE_ENV: 'production', TEST_CLOCK: 'disabled' }), true);
  });
  afterAll(() => gw?.shutdown.run());

  it('turns introspection off', async () => {
    const r = await post(`${gw.url}/graphql`, JSON.stringify({ query: '{ __schema { types { name } } }' }));
    expect(r.json.errors[0].message).toMatch(/introspection/i);
    expect(r.json.data).toBeUndefined();
  });

  it('gives no field suggestions and no stack traces', async () => {
    const r = await post(`${gw.url}/graphql`, JSON.stringify({ query: '{ markts { code } }' }));
    expect(r.json.errors[0].message).not.toMatch(/did you mean/i);
    expect(r.text).not.toMatch(/stacktrace|at [A-Za-z]+ \(/);
  });

  it('keeps CSRF prevention on: a text/plain POST is refused', async () => {
    const r = await post(`${gw.url}/graphql`, JSON.stringify({ query: '{ markets { code } }' }), { 'content-type': 'text/plain' });
    expect(r.status).toBe(400);
  });
});

describe('throttling per caller, shared by gateway replicas', () => {
  it('answers 429 with Retry-After once the caller spent its budget across two replicas', async () => {
    const a = await startGateway(gatewayEnv({ RATE_LIMIT_PER_MINUTE: '4' }), true);
    const b = await startGateway(gatewayEnv({ RATE_LIMIT_PER_MINUTE: '4' }), true);
    try {
      const token = await stack.mint({ userId: 'usr_busy', kind: 'PARTNER_USER', partnerId: 'ptn_busy' });
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
      const body = JSON.stringify({ query: '{ clock { now } }' });
      const statuses: number[] = [];
      for (const gw of [a, b, a, b]) statuses.push((await post(`${gw.url}/graphql`, body, headers)).status);
      expect(statuses).toEqual([200, 200, 200, 200]);
      const r = await fetch(`${b.url}/graphql`, { method: 'POST', headers, body });
      expect(r.status).toBe(429);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await r.json()).errors[0].extensions.code).toBe('TOO_MANY_REQUESTS');
      // Another caller is not affected.
      const other = await stack.mint({ userId: 'usr_calm', kind: 'PARTNER_USER', partnerId: 'ptn_calm' });
      expect((await post(`${a.url}/graphql`, body, { ...headers, authorization: `Bearer ${other}` })).status).toBe(200);
    } finally {
      await a.shutdown.run();
      await b.shutdown.run();
    }
  });
});

describe('malformed requests: a clear error, and the gateway stays up', () => {
  const cases: Array<[string, () => Promise<{ status: number; json: any }>]> = [ // eslint-disable-line @typescript-eslint/no-explicit-any
    ['invalid JSON', () => post(stack.gatewayUrl, '{"query": "{ clock { now } }"')],
    ['wrong content type', () => post(stack.gatewayUrl, 'query=%7B%7D', { 'content-type': 'application/x-www-form-urlencoded' })],
    ['a body over the 4 MB limit', () => post(stack.gatewayUrl, JSON.stringify({ query: '{ clock { now } }', variables: { x: 'x'.repeat(4_200_000) } }))],
    ['deep nesting', () => post(stack.gatewayUrl, JSON.stringify({ query: `{ ${'me { '.repeat(40)}id${' }'.repeat(40)} }` }))],
    ['an alias bomb', () => post(stack.gatewayUrl, JSON.stringify({ query: `{ ${Array.from({ length: 500 }, (_, i) => `a${i}: clock { now }`).join(' ')} }` }))],
    ['a directive bomb', () => post(stack.gatewayUrl, JSON.stringify({ query: `{ clock { now ${'@include(if: true) '.repeat(300)} } }` }))],
    ['a fragment cycle', () => post(stack.gatewayUrl, JSON.stringify({ query: '{ clock { ...A } } fragment A on ClockState { ...B } fragment B on ClockState { ...A }' }))],
    ['batched operations', () => post(stack.gatewayUrl, JSON.stringify([{ query: '{ clock { now } }' }, { query: '{ clock { now } }' }]))],
    ['an unknown enum value', () => post(stack.gatewayUrl, JSON.stringify({ query: 'query ($s: JobState!) { jobs(queue: "x", state: $s) { id } }', variables: { s: 'EXPLODED' } }))],
    ['a DateTime that is not one', () => post(stack.gatewayUrl, JSON.stringify({ query: 'mutation ($to: DateTime!) { advanceClock(to: $to) { now } }', variables: { to: '2026-13-45' } }))],
  ];

  it.each(cases)('%s', async (_name, send) => {
    const r = await send();
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.json?.errors?.[0]?.message).toEqual(expect.any(String));
    expect(JSON.stringify(r.json)).not.toMatch(/stacktrace/);
    expect((await fetch(`${stack.gateway!.url}/health`)).status).toBe(200);
  });

  it('still answers a normal query afterwards', async () => {
    const r = await stack.gql('{ clock { now } }');
    expect(errorCode(r)).toBeUndefined();
    expect(r.data.clock.now).toEqual(expect.any(String));
  });
});

describe('malformed domain input: BAD_USER_INPUT, the process stays up, the stores unchanged', () => {
  const RECORD = 'mutation ($records: [UsageRecordInput!]!) { recordUsage(records: $records) { accepted duplicates rejected { index reason } } }';
  const row = (quantity: unknown, i = 0) => ({ recordId: `bad-${i}`, subscriptionId: 'sub_x', meterId: 'mtr_vm_d2s_v5', quantity, usageDate: '2026-01-05' });

  async function storeCounts() {
    const billing = stack.services.billing!.rt.mongo.connection.db!;
    const catalog = stack.services.catalog!.rt.mongo.connection.db!;
    const counts: Record<string, number> = {};
    for (const db of [billing, catalog]) {
      for (const c of await db.listCollections().toArray()) {
        if (['inbox', 'mutation_audit'].includes(c.name)) continue; // event bookkeeping, not domain data
        counts[`${db.databaseName}.${c.name}`] = await db.collection(c.name).countDocuments();
      }
    }
    return counts;
  }

  // Read models still filling from the catalog's seed events would look like changes: wait them out.
  beforeAll(async () => {
    let last = '';
    for (let i = 0; i < 60; i++) {
      const now = JSON.stringify(await storeCounts());
      if (now === last) return;
      last = now;
      await new Promise((r) => setTimeout(r, 500));
    }
  });

  const cases: Array<[string, string, Record<string, unknown>]> = [
    ['Decimal "NaN"', RECORD, { records: [row('NaN')] }],
    ['Decimal "1e999"', RECORD, { records: [row('1e999')] }],
    ['Decimal "0x10"', RECORD, { records: [row('0x10')] }],
    ['a Decimal sent as a JSON number', RECORD, { records: [row(12.5)] }],
    ['10,001 usage rows', RECORD, { records: Array.from({ length: 10_001 }, (_, i) => ({ ...row('1', i), recordId: `r${i}` })) }],
    ['country "XX"', 'query ($c: String!) { offers(country: $c) { totalCount } }', { c: 'XX' }],
    ['period "2026-13"', 'mutation ($p: String!) { startInvoiceRun(period: $p) { run { id } } }', { p: '2026-13' }],
    [
      'a negative minimum quantity',
      'mutation ($input: PublishOfferInput!) { publishOffer(input: $input) { offer { id } } }',
      { input: { name: 'Bad', family: 'THIRD_PARTY', billingType: 'LICENSE', minQuantity: -1, maxQuantity: 0, prices: [{ market: 'DE', unitPrice: '1.00' }] } },
    ],
    ['an unknown enum value', 'query ($f: OfferFamily) { offers(country: "DE", family: $f) { totalCount } }', { f: 'MAINFRAME' }],
    [
      'a 1 MB string',
      'mutation ($input: PublishOfferInput!) { publishOffer(input: $input) { offer { id } } }',
      { input: { name: 'x'.repeat(1_048_576), family: 'THIRD_PARTY', billingType: 'LICENSE', minQuantity: 1, maxQuantity: 5, prices: [{ market: 'DE', unitPrice: '1.00' }] } },
    ],
  ];

  it.each(cases)('%s', async (_name, query, variables) => {
    const before = await storeCounts();
    const r = await stack.gql(query, variables, await stack.operatorToken());
    expect(r.data?.recordUsage ?? r.data?.startInvoiceRun ?? r.data?.publishOffer ?? r.data?.offers ?? null).toBeNull();
    expect(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED']).toContain(r.errors?.[0]?.extensions?.code);
    expect(r.errors?.[0]?.message).toEqual(expect.any(String));
    expect(await storeCounts()).toEqual(before);
    expect((await fetch(`${stack.services.billing!.url}/health`)).status).toBe(200);
  });

  it('negative and zero quantities in a usage batch are rejected row by row, good rows kept', async () => {
    const r = await stack.gql(RECORD, { records: [row('-1', 1), row('0', 2)] }, await stack.operatorToken());
    expect(r.errors).toBeUndefined();
    expect(r.data.recordUsage.accepted).toBe(0);
    expect(r.data.recordUsage.rejected.map((x: { index: number }) => x.index).sort()).toEqual([0, 1]);
  });
});
