import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { INTERNAL_PROOF_HEADER, signInternal } from '@csp/kernel';
import { eventually, freePort, startStack, type Stack } from '@csp/testkit';
import { auditLogModel } from '@csp/svc-identity/audit-log-model';

/**
 * The catalog as its own process (dist/index.js, built by `make test` before jest), killed with
 * SIGKILL right after a mutation's domain write, before its response (CSP_CRASH_AT), then started
 * again: the change and exactly one audit record of it reach identity's graph-wide log.
 */
const CATALOG = path.resolve(__dirname, '../dist/index.js');

let stack: Stack;
const children: ChildProcess[] = [];

beforeAll(async () => {
  stack = await startStack('catalog-audit-crash', { services: [], gateway: false });
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await stack?.stop();
});

async function spawnCatalog(extra: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  // With its seed, as make up starts it: a process killed while relaying the seed's events holds
  // those markets' locks only briefly (the relay's lock is short), so the restart's seed succeeds.
  const env = { ...stack.env, MONGO_DB: `${stack.env.DB_PREFIX}_catalog`, JWKS_URL: `${stack.identity.url}/.well-known/jwks.json`, PORT: String(port), LOG_LEVEL: 'warn', ...extra };
  const child = spawn(process.execPath, [CATALOG], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.on('data', (d) => process.env.TEST_LOG_LEVEL && process.stderr.write(d));
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  await eventually(() => fetch(`${url}/ready`).then((r) => r.ok, () => false), 30_000, 'the catalog process to be ready');
  return { child, url };
}

const exited = (child: ChildProcess) =>
  new Promise<NodeJS.Signals | null>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.signalCode) : child.once('exit', (_c, s) => resolve(s))));

/** A request as the gateway sends it (the internal proof), straight to the catalog process. */
async function post(url: string, query: string, variables: Record<string, unknown>, requestId: string) {
  const authorization = `Bearer ${await stack.mint({ userId: 'usr_operator', kind: 'OPERATOR' })}`;
  return fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization, 'x-request-id': requestId, [INTERNAL_PROOF_HEADER]: signInternal(stack.env.INTERNAL_SECRET!, authorization) },
    body: JSON.stringify({ query, variables }),
  });
}

it('killed between the domain write and the response, then restarted: the change and exactly one audit record', async () => {
  const first = await spawnCatalog({ CSP_CRASH_AT: 'audit.after-write' });
  const requestId = `audit-crash-${Math.random().toString(36).slice(2, 10)}`;
  const input = { code: 'AUDK', name: 'Killed mid-request', currency: 'USD', countries: ['MX'] };
  const UPSERT = 'mutation ($input: UpsertMarketInput!) { upsertMarket(input: $input) { market { code } } }';
  // The process dies before it answers: the connection drops.
  await expect(post(first.url, UPSERT, { input }, requestId)).rejects.toThrow();
  expect(await exited(first.child)).toBe('SIGKILL');

  // A fresh process relays what the dead one wrote: the market and its record, once.
  const second = await spawnCatalog();
  const log = auditLogModel(stack.identity.rt.mongo.connection);
  const records = await eventually(async () => {
    const found = await log.find({ requestId }).lean();
    return found.length > 0 && found;
  }, 30_000, 'the audit record of the killed request');
  expect(records).toHaveLength(1);
  expect(records[0]).toMatchObject({ action: 'catalog.upsertMarket', service: 'catalog', actorKind: 'OPERATOR', targetId: 'AUDK', outcome: 'DONE' });
  const market = await (await post(second.url, '{ market(code: "AUDK") { code countries } }', {}, `${requestId}-read`)).json();
  expect(market.data.market).toEqual({ code: 'AUDK', countries: ['MX'] });

  // Doing it again changes nothing and records nothing more for the first request.
  const again = await (await post(second.url, UPSERT, { input }, `${requestId}-again`)).json();
  expect(again.errors).toBeUndefined();
  await eventually(async () => (await log.countDocuments({ requestId: `${requestId}-again` })) === 1, 20_000, 'the replay’s own record');
  expect(await log.countDocuments({ requestId })).toBe(1);
  second.child.kill('SIGTERM');
  expect(await exited(second.child)).toBeNull();
});
