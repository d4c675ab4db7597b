import { decodeJwt } from 'jose';
import { errorCode, OPERATOR, startStack, type Stack, internalHeaders } from '@csp/testkit';
import { createCustomer, login, onboardPartner, seedMarkets, unique } from './identity-fixtures';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('identity-auth', { services: ['identity'] });
  await seedMarkets(stack);
});
afterAll(() => stack?.stop());

describe('Login (auth.graphql)', () => {
  it('signs the operator in and returns a token the graph accepts', async () => {
    const r = await stack.op('Login', OPERATOR);
    expect(r.errors).toBeUndefined();
    expect(r.data.login.viewer).toMatchObject({ email: OPERATOR.email, kind: 'OPERATOR' });
    expect(Date.parse(r.data.login.expiresAt)).toBeGreaterThan(Date.now());
    const me = await stack.op('Me', {}, r.data.login.accessToken);
    expect(me.data.me).toMatchObject({ email: OPERATOR.email, kind: 'OPERATOR', partner: null, customer: null });
  });

  it('answers a wrong password and an unknown email identically', async () => {
    const wrongPassword = await stack.op('Login', { email: OPERATOR.email, password: 'not-the-password' });
    const unknownEmail = await stack.op('Login', { email: 'nobody@nowhere.example', password: 'not-the-password' });
    expect(errorCode(wrongPassword)).toBe('UNAUTHENTICATED');
    expect(wrongPassword.status).toBe(unknownEmail.status);
    expect(wrongPassword.errors).toEqual(unknownEmail.errors);
    expect(wrongPassword.data).toEqual(unknownEmail.data);
  });

  it('slows an address down after repeated failures, but never locks the account for everyone (issue 17)', async () => {
    const partner = await onboardPartner(stack, { tier: 'DIRECT_PROVIDER', country: 'DE' });
    // Asked directly, as the gateway does: it names the client address in X-Forwarded-For.
    const loginFrom = (address: string, password: string) =>
      fetch(`${stack.identity.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': address, ...internalHeaders(stack.env.INTERNAL_SECRET!, undefined) },
        body: JSON.stringify({ query: 'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', variables: { e: partner.email, p: password } }),
      }).then((r) => r.json() as Promise<{ data?: { login?: { accessToken: string } }; errors?: Array<{ message: string; extensions: { code: string } }> }>);
    for (let i = 0; i < 5; i++) expect((await loginFrom('198.51.100.7', 'wrong-password-x')).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    const slowed = await loginFrom('198.51.100.7', partner.password);
    expect(slowed.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(slowed.errors?.[0].message).toMatch(/too many .* from this address/i);
    // The owner, elsewhere, still signs in: the attacker cannot lock it out.
    const owner = await loginFrom('203.0.113.50', partner.password);
    expect(owner.errors).toBeUndefined();
    expect(owner.data?.login?.accessToken).toEqual(expect.any(String));
    // Every throttle key expires by itself (a crash between two commands cannot leave one forever).
    const keys = await stack.identity.rt.redis.keys(`${stack.env.REDIS_PREFIX}:login-*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) expect(await stack.identity.rt.redis.pttl(k)).toBeGreaterThan(0);
  });

  it('backs off exponentially while failures go on', async () => {
    const throttle = (stack.identity.deps as { throttle: import('../src/auth/login-throttle').LoginThrottle }).throttle;
    const key = { subject: `backoff-${Date.now()}@x.example`, address: '198.51.100.9' };
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      await throttle.fail(key);
      waits.push(await throttle.waitFor(key));
    }
    expect(waits.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(waits[5]).toBeGreaterThan(waits[4]);
    expect(waits[6]).toBeGreaterThan(waits[5]);
  });
});

describe('Me (auth.graphql)', () => {
  it('shows a partner user with its partner, and a customer user with its tenant', async () => {
    const partner = await onboardPartner(stack, { tier: 'DIRECT_PROVIDER', country: 'DE', name: unique('Contoso Partner ') });
    const me = await stack.op('Me', {}, partner.token);
    expect(me.errors).toBeUndefined();
    expect(me.data.me).toEqual({
      id: partner.userId,
      email: partner.email,
      kind: 'PARTNER_USER',
      partner: { id: partner.id, name: partner.name, tier: 'DIRECT_PROVIDER' },
      customer: null,
    });

    const customer = await createCustomer(stack, partner.token, { country: 'DE' });
    const cme = await stack.op('Me', {}, customer.token);
    expect(cme.data.me).toEqual({
      id: customer.userId,
      email: customer.email,
      kind: 'CUSTOMER_USER',
      partner: null,
      customer: { id: customer.id, companyName: customer.companyName },
    });
  });

  it('needs a token', async () => {
    expect(errorCode(await stack.op('Me'))).toBe('UNAUTHENTICATED');
  });

  it("puts the user's security groups in the token", async () => {
    const partner = await onboardPartner(stack, { tier: 'DIRECT_PROVIDER', country: 'US' });
    const claims = decodeJwt(partner.token);
    expect(claims).toMatchObject({ sub: partner.userId, kind: 'PARTNER_USER', pid: partner.id });
    const groups = await stack.gql('{ securityGroups { edges { node { id name } } } }', {}, partner.token);
    expect(groups.data.securityGroups.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['Admin agents']);
    expect(claims.grp).toEqual([groups.data.securityGroups.edges[0].node.id]);
  });
});

describe('machine clients', () => {
  const CREATE = `mutation ($input: CreateClientInput!) { createClient(input: $input) { clientId clientSecret scopes } }`;
  const TOKEN = `mutation ($id: ID!, $secret: String!) { tokenForClient(clientId: $id, clientSecret: $secret) { accessToken expiresAt scopes } }`;

  it('the operator creates the usage connector; it gets a scoped SERVICE token without signing in', async () => {
    const created = await stack.gql(CREATE, { input: { name: 'usage connector', scopes: ['usage:write'] } }, await stack.operatorToken());
    expect(created.errors).toBeUndefined();
    const { clientId, clientSecret } = created.data.createClient;
    const r = await stack.gql(TOKEN, { id: clientId, secret: clientSecret });
    expect(r.errors).toBeUndefined();
    expect(r.data.tokenForClient.scopes).toEqual(['usage:write']);
    expect(decodeJwt(r.data.tokenForClient.accessToken)).toMatchObject({ sub: clientId, kind: 'SERVICE', scp: ['usage:write'] });

    const wrong = await stack.gql(TOKEN, { id: clientId, secret: 'nope' });
    const unknown = await stack.gql(TOKEN, { id: 'cli_unknown', secret: 'nope' });
    expect(errorCode(wrong)).toBe('UNAUTHENTICATED');
    expect(wrong.errors).toEqual(unknown.errors);
  });

  it("a partner's ADMIN registers its own clients with partner scopes from the staff-role table; nobody else", async () => {
    const partner = await onboardPartner(stack, { tier: 'DIRECT_PROVIDER', country: 'DE' });
    const other = await onboardPartner(stack, { tier: 'DIRECT_PROVIDER', country: 'DE' });
    // The vendor's scopes (usage:write) are not for partners; nor is another partner.
    expect(errorCode(await stack.gql(CREATE, { input: { name: 'x', scopes: ['usage:write'] } }, partner.token))).toBe('FORBIDDEN');
    expect(errorCode(await stack.gql(CREATE, { input: { name: 'x', scopes: ['orders:write'], partnerId: other.id } }, partner.token))).toBe('NOT_FOUND');
    const ok = await stack.gql(CREATE, { input: { name: 'shop', scopes: ['orders:write', 'customers:read'] } }, partner.token);
    expect(ok.errors).toBeUndefined();
    const t = await stack.gql(TOKEN, { id: ok.data.createClient.clientId, secret: ok.data.createClient.clientSecret });
    expect(decodeJwt(t.data.tokenForClient.accessToken)).toMatchObject({ kind: 'SERVICE', pid: partner.id, scp: ['orders:write', 'customers:read'] });
    // A non-ADMIN partner user may not.
    await stack.op('CreateStaffUser', { input: { email: `${unique('sales')}@clients.example`, password: 'sales-password-1' } }, partner.token).then(async (r) => {
      const sales = await login(stack, r.data.createUser.user.email, 'sales-password-1');
      expect(errorCode(await stack.gql(CREATE, { input: { name: 'y', scopes: ['orders:write'] } }, sales))).toBe('FORBIDDEN');
    });
  });
});

describe('JWKS', () => {
  it('publishes the public signing key', async () => {
    const body = await (await fetch(`${stack.identity.url}/.well-known/jwks.json`)).json();
    expect(body.keys).toHaveLength(1);
    expect(body.keys[0]).toMatchObject({ kty: 'EC', alg: 'ES256', use: 'sig' });
    expect(body.keys[0].d).toBeUndefined();
    const token = await login(stack, OPERATOR.email, OPERATOR.password);
    expect(decodeJwt(token).sub).toBeTruthy();
  });
});
