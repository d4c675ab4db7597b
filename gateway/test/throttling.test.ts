import { startGateway, type RunningGateway } from '../src/server';
import { OPERATOR, startStack, type Stack } from '@csp/testkit';

/** Throttling that cannot be sidestepped (issue 17): keyed by who the caller is, not how it writes it. */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack('throttling', { services: ['identity'] });
});
afterAll(() => stack?.stop());

async function gatewayWith(extra: Record<string, string>): Promise<RunningGateway> {
  return startGateway({ ...stack.env, JWKS_URL: `${stack.identity.url}/.well-known/jwks.json`, IDENTITY_URL: `${stack.identity.url}/graphql`, ...extra }, true);
}

const CLOCK = JSON.stringify({ query: '{ clock { now } }' });
const send = (gw: RunningGateway, headers: Record<string, string> = {}, body = CLOCK) =>
  fetch(`${gw.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('per-caller budget', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await gatewayWith({ RATE_LIMIT_PER_MINUTE: '4', REDIS_PREFIX: `${stack.env.REDIS_PREFIX}:b1` });
  });
  afterAll(() => gw?.shutdown.run());

  it('is one budget per verified subject, however the header is spelled and however many tokens it holds', async () => {
    const who = { userId: 'usr_spell', kind: 'PARTNER_USER' as const, partnerId: 'ptn_spell' };
    const [t1, t2] = [await stack.mint(who), await stack.mint(who, 900)];
    const statuses = [];
    for (const auth of [`Bearer ${t1}`, `bearer ${t1}`, `BEARER  ${t1}`, `Bearer ${t2}`]) statuses.push((await send(gw, { authorization: auth })).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    const over = await send(gw, { authorization: `bEaReR ${t2}` });
    expect(over.status).toBe(429);
    // Same user id in another tenant is another caller.
    const other = await stack.mint({ ...who, partnerId: 'ptn_other' });
    expect((await send(gw, { authorization: `Bearer ${other}` })).status).toBe(200);
  });
});

describe('anonymous budget per client address', () => {
  it('ignores X-Forwarded-For unless the peer is a configured proxy', async () => {
    const gw = await gatewayWith({ RATE_LIMIT_PER_MINUTE: '3', REDIS_PREFIX: `${stack.env.REDIS_PREFIX}:b2` });
    try {
      const statuses = [];
      for (let i = 1; i <= 4; i++) statuses.push((await send(gw, { 'x-forwarded-for': `203.0.113.${i}` })).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      await gw.shutdown.run();
    }
  });

  it('follows X-Forwarded-For from a proxy named in TRUST_PROXY', async () => {
    const gw = await gatewayWith({ RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: 'loopback', REDIS_PREFIX: `${stack.env.REDIS_PREFIX}:b3` });
    try {
      const statuses = [];
      for (let i = 1; i <= 4; i++) statuses.push((await send(gw, { 'x-forwarded-for': `203.0.113.${i}` })).status);
      expect(statuses).toEqual([200, 200, 200, 200]);
    } finally {
      await gw.shutdown.run();
    }
  });
});

describe('sign-in attempts', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await gatewayWith({ LOGIN_RATE_LIMIT_PER_MINUTE: '10', REDIS_PREFIX: `${stack.env.REDIS_PREFIX}:b4` });
  });
  afterAll(() => gw?.shutdown.run());

  it('counts each login of one request: 15 aliased logins are 15 attempts, then the address waits', async () => {
    const logins = Array.from({ length: 15 }, (_, i) => `l${i}: login(email: "nobody${i}@x.example", password: "wrong-password") { accessToken }`).join(' ');
    const r = await send(gw, {}, JSON.stringify({ query: `mutation { ${logins} }` }));
    expect(r.status).toBe(429);
    const body = await r.json();
    expect(body.errors[0].extensions.code).toBe('TOO_MANY_REQUESTS');
    expect(body.data ?? null).toBeNull();
    const next = await send(gw, {}, JSON.stringify({ query: 'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', variables: { e: OPERATOR.email, p: OPERATOR.password } }));
    expect(next.status).toBe(429);
    expect(Number(next.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('caps root fields per request with a clear 400', async () => {
    const fields = Array.from({ length: 12 }, (_, i) => `c${i}: clock { now }`).join(' ');
    const r = await send(gw, {}, JSON.stringify({ query: `{ ${fields} }` }));
    expect(r.status).toBe(400);
    expect((await r.json()).errors[0].message).toMatch(/at most 10 root fields/);
  });
});
