import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSubscription } from '@csp/svc-subscription/app';
import { startStack, type Stack } from '@csp/testkit';

const QUERY = '{ clock { now } me { id } sub: subscription(id: "sub_none") { id } }';

let stack: Stack;
let hanging: Server;
let hangingUrl: string;

beforeAll(async () => {
  // A "subgraph" that accepts connections and never answers.
  hanging = createServer(() => undefined);
  await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
  hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/graphql`;
  stack = await startStack('faults', { env: { SUBGRAPH_TIMEOUT_MS: '1500' } });
});
afterAll(async () => {
  hanging.closeAllConnections();
  hanging.close();
  await stack?.stop();
});

describe('a subgraph that is down', () => {
  it('leaves the other fields answered, reports the missing one, and recovers without a gateway restart', async () => {
    const token = await stack.operatorToken();
    const before = await stack.gql(QUERY, {}, token);
    expect(before.data?.clock).toBeDefined();

    const sub = stack.services.subscription!;
    const port = new URL(sub.url).port;
    await sub.stop();

    const down = await stack.gql(QUERY, {}, token);
    expect(down.status).toBe(200);
    expect(down.data?.me?.id).toBeTruthy();
    expect(down.data?.clock).toBeDefined();
    expect(down.data?.sub).toBeNull();
    const missing = down.errors?.find((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE');
    expect(missing).toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE', service: 'subscription' } });
    expect(missing?.message).toMatch(/subscription service did not answer/);

    // Same port, new process-equivalent: the gateway picks it up on the next request.
    stack.services.subscription = await startSubscription(
      { ...stack.env, PORT: port, MONGO_DB: `${stack.env.DB_PREFIX}_subscription`, JWKS_URL: `${stack.identity.url}/.well-known/jwks.json` },
      true,
    );
    const back = await stack.gql(QUERY, {}, token);
    expect(back.errors?.find((e) => e.path?.[0] === 'sub')?.extensions?.code).toBe('NOT_FOUND');
    expect(back.errors?.some((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE')).toBe(false);
  });

  it('a subgraph that hangs costs at most the timeout, not a hung request', async () => {
    const { startGateway } = await import('../src/server');
    const gw = await startGateway(
      {
        ...stack.env,
        JWKS_URL: `${stack.identity.url}/.well-known/jwks.json`,
        SUBGRAPH_TIMEOUT_MS: '1000',
        IDENTITY_URL: `${stack.identity.url}/graphql`,
        CATALOG_URL: `${stack.services.catalog!.url}/graphql`,
        SUBSCRIPTION_URL: hangingUrl,
      },
      true,
    );
    try {
      const started = performance.now();
      const r = await fetch(`${gw.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.operatorToken()}` },
        body: JSON.stringify({ query: QUERY }),
      }).then((x) => x.json());
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(r.data.clock).toBeDefined();
      expect(r.data.sub).toBeNull();
      expect(r.errors.find((e: { extensions: { code: string } }) => e.extensions.code === 'SERVICE_UNAVAILABLE')).toBeDefined();
    } finally {
      await gw.shutdown.run();
    }
  });
});
