import { errorCode, internalHeaders, startStack, type Stack } from '@csp/testkit';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('gateway');
});
afterAll(() => stack?.stop());

describe('one graph over six subgraphs', () => {
  it('answers a query that touches every subgraph', async () => {
    const token = await stack.operatorToken();
    const r = await stack.gql(
      `query Everything {
        me { id email kind }
        markets { code }
        checkAccess(scope: "/customers/none", action: "subscription/read") { allowed reason }
        invoices(first: 1) { totalCount }
        tickets(first: 1) { totalCount }
        sub: subscription(id: "sub_missing") { id }
      }`,
      {},
      token,
    );
    expect(r.errors?.filter((e) => e.extensions?.code !== 'NOT_FOUND')).toEqual([]);
    expect(r.data?.me).toMatchObject({ email: 'operator@test.example', kind: 'OPERATOR' });
    expect(r.data?.checkAccess).toEqual({ allowed: expect.any(Boolean), reason: expect.any(String) });
    expect(r.data?.invoices.totalCount).toBe(0);
    expect(r.data?.tickets.totalCount).toBe(0);
    expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
  });
});

describe('JWT verification at the gateway and the subgraphs', () => {
  const me = '{ me { id kind } }';

  it('accepts a valid token', async () => {
    const token = await stack.operatorToken();
    const r = await stack.gql(me, {}, token);
    expect(r.errors).toBeUndefined();
    expect(r.data.me.kind).toBe('OPERATOR');
  });

  it('rejects an expired token with UNAUTHENTICATED', async () => {
    const token = await stack.mint({ userId: 'usr_x', kind: 'OPERATOR' }, -60);
    const r = await stack.gql(me, {}, token);
    expect(r.status).toBe(401);
    expect(errorCode(r)).toBe('UNAUTHENTICATED');
    expect(r.errors?.[0].message).toMatch(/expired/);
    expect(r.data).toBeUndefined();
  });

  it('rejects a token signed by another key', async () => {
    const { generateKeyPair, SignJWT } = await import('jose');
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ kind: 'OPERATOR' })
      .setProtectedHeader({ alg: 'ES256', kid: 'attacker' })
      .setSubject('usr_x')
      .setIssuer('csp-identity')
      .setAudience('csp-graph')
      .setExpirationTime('10m')
      .sign(privateKey);
    const r = await stack.gql(me, {}, forged);
    expect(errorCode(r)).toBe('UNAUTHENTICATED');
    expect(r.data).toBeUndefined();
  });

  it('rejects a malformed Authorization header', async () => {
    const r = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic Zm9vOmJhcg==' },
      body: JSON.stringify({ query: me }),
    });
    expect(r.status).toBe(401);
    expect((await r.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('treats no token as anonymous: public reads pass, the rest is UNAUTHENTICATED', async () => {
    const pub = await stack.gql('{ markets { code } }');
    expect(pub.errors).toBeUndefined();
    const priv = await stack.gql(me);
    expect(errorCode(priv)).toBe('UNAUTHENTICATED');
    expect(priv.data).toBeUndefined();
  });

  it('subgraphs verify the token again instead of trusting the gateway', async () => {
    const subgraph = `${stack.services.identity!.url}/graphql`;
    const r = await fetch(subgraph, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not.a.token', ...internalHeaders(stack.env.INTERNAL_SECRET!, 'Bearer not.a.token') },
      body: JSON.stringify({ query: me }),
    });
    const body = await r.json();
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});

describe('query limits', () => {
  it('rejects an over-deep query with a clear error', async () => {
    const token = await stack.operatorToken();
    let q = 'id';
    for (let i = 0; i < 14; i++) q = `__typename me { ${q} }`;
    const r = await stack.gql(`{ me { ${q} } }`, {}, token);
    expect(r.data).toBeUndefined();
    expect(r.errors?.[0].message).toMatch(/depth/i);
  });

  it('rejects an alias bomb with a clear error', async () => {
    const token = await stack.operatorToken();
    const aliases = Array.from({ length: 200 }, (_, i) => `a${i}: me { id }`).join(' ');
    const r = await stack.gql(`{ ${aliases} }`, {}, token);
    expect(r.data).toBeUndefined();
    expect(r.errors?.[0].message).toMatch(/alias/i);
  });

  it('refuses batched operations', async () => {
    const r = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ markets { code } }' }, { query: '{ markets { code } }' }]),
    });
    expect(r.status).toBe(400);
  });

  it('prevents CSRF: a simple form-encoded request is refused', async () => {
    const r = await fetch(`${stack.gatewayUrl}?query=${encodeURIComponent('{ markets { code } }')}`, { method: 'GET' });
    expect(r.status).toBe(400);
  });
});
