import { startCatalog } from '@csp/svc-catalog/app';
import { isolatedEnv, startStack, type Stack } from '@csp/testkit';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('health');
});
afterAll(() => stack?.stop());

describe('/health, /ready and /metrics on every process', () => {
  const bases = () => ({
    gateway: stack.gateway!.url,
    ...Object.fromEntries(Object.entries(stack.services).map(([n, s]) => [n, s!.url])),
  });

  it('covers the gateway and all six subgraphs', () => {
    expect(Object.keys(bases()).sort()).toEqual(['access-control', 'billing', 'catalog', 'gateway', 'identity', 'subscription', 'support']);
  });

  beforeAll(async () => {
    await stack.gql('query HealthProbe { clock { now } }');
  });

  it.each(['gateway', 'identity', 'catalog', 'subscription', 'access-control', 'billing', 'support'])('%s answers', async (name) => {
    const base = (bases() as Record<string, string>)[name];
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', node: process.version });
    // make test runs jest (and so this in-process stack) on Node 24 LTS.
    expect(process.version).toMatch(/^v24\./);

    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect((await ready.json()).status).toBe('ready');

    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('process_resident_memory_bytes');
    expect(metrics).toContain('nodejs_eventloop_lag_seconds');
    expect(metrics).toContain('http_request_duration_seconds');
    // GraphQL is counted by operation name (the stack runs in one process here, so one registry).
    expect(metrics).toMatch(/graphql_operation_duration_seconds_count\{[^}]*operation="HealthProbe"/);
  });
});

describe('/ready reports an unreachable store', () => {
  it('answers 503 and names the store when Redis is down', async () => {
    const env = isolatedEnv('ready', { REDIS_URL: 'redis://127.0.0.1:1', TEST_CLOCK: 'disabled', JWKS_URL: 'http://127.0.0.1:1/jwks' });
    const catalog = await startCatalog({ ...env, MONGO_DB: `${env.DB_PREFIX}_catalog`, CATALOG_SEED: 'off' }, true);
    try {
      const r = await fetch(`${catalog.url}/ready`);
      expect(r.status).toBe(503);
      expect(await r.json()).toMatchObject({ status: 'not ready', checks: { mongo: 'ok', redis: 'unavailable' } });
      expect((await fetch(`${catalog.url}/health`)).status).toBe(200);
    } finally {
      await catalog.stop();
    }
  });
});
