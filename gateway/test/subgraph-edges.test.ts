import { internalHeaders, startStack, type Stack } from '@csp/testkit';

/**
 * Client errors are 400s with a clear message on the gateway and on every subgraph, and each
 * subgraph applies query limits of its own (issue 17).
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack('sgedges', { services: ['identity', 'catalog', 'billing', 'access-control'] });
});
afterAll(() => stack?.stop());

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  // Subgraphs answer only requests that carry the gateway's proof: this is what each does with one.
  const proof = url === stack.gatewayUrl ? {} : internalHeaders(stack.env.INTERNAL_SECRET!, headers.authorization);
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...proof, ...headers }, body: JSON.stringify(body) });
  const text = await r.text();
  let json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: r.status, json, text };
}

const endpoints = () => [
  ['gateway', stack.gatewayUrl],
  ...Object.entries(stack.services).map(([name, s]) => [name, `${s!.url}/graphql`]),
];

describe.each(['gateway', 'identity', 'catalog', 'billing', 'access-control'])('%s', (name) => {
  const url = () => endpoints().find(([n]) => n === name)![1];

  it.each([
    ['an unknown operation name', { query: 'query A { __typename }', operationName: 'B' }, /Unknown operation named "B"/],
    ['several unnamed operations', { query: '{ __typename } { __typename }' }, /operation name|anonymous/i],
    ['two operations and no name', { query: 'query A { __typename } query B { __typename }' }, /operation name/i],
    ['a subscription operation', { query: 'subscription { __typename }' }, /subscription/i],
  ])('%s is a 400 with a clear message', async (_what, body, message) => {
    const r = await post(url(), body);
    expect(r.status).toBe(400);
    expect(r.json?.errors?.[0]?.message).toMatch(message);
    expect(r.text).not.toMatch(/stacktrace/);
  });

  it('answers an invalid token with 401', async () => {
    const r = await post(url(), { query: '{ __typename }' }, { authorization: 'Bearer not.a.token' });
    expect(r.status).toBe(401);
    expect(r.json?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an alias bomb with a 400, anonymously too', async () => {
    const field = name === 'gateway' ? 'clock { now }' : '_service { sdl }';
    const aliases = await post(url(), { query: `{ ${Array.from({ length: 100 }, (_, i) => `a${i}: ${field}`).join(' ')} }` });
    expect(aliases.status).toBe(400);
    expect(aliases.json?.errors?.[0]?.message).toMatch(/alias|root fields/i);
  });
});
