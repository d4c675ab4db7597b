import { internalHeaders, startStack, type Stack } from '@csp/testkit';
import { INTERNAL_PROOF_HEADER, signInternal, SUBGRAPHS, type SubgraphName } from '@csp/kernel';

/**
 * Subgraphs trust only the gateway (hole 7): a subgraph port called directly without the
 * gateway's proof answers 401 for /graphql and access-control's internal endpoints; health,
 * ready and metrics still answer. Through the gateway everything works.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack('internalproof');
});
afterAll(() => stack?.stop());

const names = SUBGRAPHS.map((s) => s.name) as SubgraphName[];
const post = (url: string, headers: Record<string, string> = {}, body = JSON.stringify({ query: '{ __typename }' })) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('a subgraph called directly', () => {
  it.each(names)('%s: /graphql without a proof, with a forged or a stale one is 401; /health, /ready, /metrics answer', async (name) => {
    const base = stack.services[name]!.url;
    const secret = stack.env.INTERNAL_SECRET!;
    const token = await stack.operatorToken();
    const auth = `Bearer ${token}`;
    expect((await post(`${base}/graphql`)).status).toBe(401);
    expect((await post(`${base}/graphql`, { authorization: auth })).status).toBe(401);
    expect((await post(`${base}/graphql`, { authorization: auth, [INTERNAL_PROOF_HEADER]: signInternal('another-secret-of-at-least-32-characters', auth) })).status).toBe(401);
    expect((await post(`${base}/graphql`, { authorization: auth, [INTERNAL_PROOF_HEADER]: signInternal(secret, auth, Date.now() - 5 * 60_000) })).status).toBe(401);
    // A proof made for another caller's token does not carry over.
    expect((await post(`${base}/graphql`, { authorization: auth, ...internalHeaders(secret, 'Bearer someone.else') })).status).toBe(401);
    const refused = await (await post(`${base}/graphql`)).json();
    expect(refused.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    // With the proof (as the gateway sends it) the subgraph answers.
    expect((await post(`${base}/graphql`, { authorization: auth, ...internalHeaders(secret, auth) })).status).toBe(200);
    for (const path of ['/health', '/ready', '/metrics']) expect([path, (await fetch(`${base}${path}`)).status]).toEqual([path, 200]);
  });

  it("access-control's internal decision endpoints need the proof too", async () => {
    const base = stack.services['access-control']!.url;
    const auth = `Bearer ${await stack.operatorToken()}`;
    const body = JSON.stringify({ scope: '/customers/cus_x', action: 'subscription/read' });
    for (const path of ['/internal/authorize', '/internal/authorize-many']) {
      expect((await post(`${base}${path}`, { authorization: auth }, body)).status).toBe(401);
    }
    expect((await post(`${base}/internal/authorize`, { authorization: auth, ...internalHeaders(stack.env.INTERNAL_SECRET!, auth) }, body)).status).toBe(200);
  });

  it('through the gateway, a query across the subgraphs works', async () => {
    const r = await stack.gql('{ me { id } markets { code } }', {}, await stack.operatorToken());
    expect(r.errors).toBeUndefined();
    expect(r.data.me.id).toMatch(/^usr_/);
  });
});
