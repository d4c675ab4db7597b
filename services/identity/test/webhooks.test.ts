import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { errorCode, eventually, REPO_ROOT, startStack, type Stack } from '@csp/testkit';
import type { IdentityDeps } from '../src/deps';
import { checkWebhookUrl, guardedLookup } from '../src/webhooks/url-guard';
import { WebhookService } from '../src/webhooks/webhook.service';

/**
 * Webhooks end to end: events published by the platform reach a real HTTP receiver on
 * 127.0.0.1, signed, once each, only at the owning partner's endpoints; a failing receiver
 * gets retries with growing delays.
 */
type Hit = { path: string; headers: http.IncomingHttpHeaders; body: string; at: number };
let s: Stack;
let deps: IdentityDeps;
let server: http.Server;
let base: string;
const hits: Hit[] = [];
let flakyFailures = 3;
const A = 'ptn_hooka001';
const B = 'ptn_hookb001';
let tokenA: string;
let tokenB: string;

// The README's receiver example, run as written.
const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const example = readme.split('<!-- webhook-receiver-example -->')[1].split('```js')[1].split('```')[0];
const verifyWebhook = new Function('require', `${example}\nreturn verifyWebhook;`)(require) as (secret: string, headers: http.IncomingHttpHeaders, body: string, nowMs?: number) => boolean;

const platformNow = async () => Date.parse((await s.op('Clock')).data.clock.now);

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      hits.push({ path: req.url ?? '', headers: req.headers, body, at: Date.now() });
      if (req.url === '/dead') res.writeHead(503).end('down');
      else if (req.url === '/flaky' && flakyFailures > 0) {
        flakyFailures--;
        res.writeHead(500).end('not yet');
      } else res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  s = await startStack('webhooks', { services: ['identity'], env: { WEBHOOK_BACKOFF_MS: '300' } });
  deps = s.identity.deps as IdentityDeps;
  tokenA = await s.mint({ userId: 'usr_hooka', kind: 'PARTNER_USER', partnerId: A });
  tokenB = await s.mint({ userId: 'usr_hookb', kind: 'PARTNER_USER', partnerId: B });
}, 60_000);
afterAll(async () => {
  await s?.stop();
  await new Promise((r) => server.close(r));
});

const TYPES = ['subscription.activated', 'invoice.issued', 'budget.thresholdCrossed', 'ticket.opened'];
async function register(token: string, url: string, eventTypes = TYPES) {
  const r = await s.op('CreateWebhookEndpoint', { url, eventTypes }, token);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data.createWebhookEndpoint as { endpoint: { id: string; url: string; eventTypes: string[]; enabled: boolean }; secret: string };
}
const sub = (subscriptionId: string, partnerId: string) => ({
  subscriptionId, customerId: 'cus_hook0001', partnerId, offerId: 'off_x', billingType: 'USAGE' as const, quantity: 1, market: 'DE', at: '2026-11-16T09:00:00.000Z', adminAgentsGroupId: 'grp_x',
});
const deliveriesOf = async (endpointId: string, token: string) => {
  const r = await s.op('WebhookDeliveries', { endpointId, first: 50 }, token);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data.webhookEndpoint.deliveries;
};

it('each event reaches its partner’s endpoint once, signed; a rival partner’s endpoint never sees it', async () => {
  const a = await register(tokenA, `${base}/a`);
  const b = await register(tokenB, `${base}/b`);
  expect(a.endpoint).toMatchObject({ url: `${base}/a`, eventTypes: TYPES, enabled: true });
  expect(a.secret).toMatch(/^whsec_/);
  // A's subscription (published twice: at least once upstream), invoice and budget; one of B's.
  await s.publish('subscription.activated', sub('sub_hook_a1', A), 'evt-hook-sub-a1');
  await s.publish('subscription.activated', sub('sub_hook_a1', A), 'evt-hook-sub-a1-again');
  await s.publish('invoice.issued', { invoiceId: 'inv_hook1', number: 'A-1', kind: 'PARTNER_TO_CUSTOMER', period: '2026-10', issuerId: A, billToId: 'cus_hook0001', at: '2026-11-01T00:00:00.000Z' }, 'evt-hook-inv1');
  await s.publish('budget.thresholdCrossed', {
    budgetId: 'cus_hook0001', customerId: 'cus_hook0001', partnerId: A, month: '2026-11', thresholdPercent: 50, budget: { amount: '10.00', currency: 'EUR' }, spent: { amount: '5.00', currency: 'EUR' }, at: '2026-11-16T09:00:00.000Z',
  }, 'evt-hook-budget1');
  await s.publish('subscription.activated', sub('sub_hook_b1', B), 'evt-hook-sub-b1');
  await eventually(async () => hits.filter((h) => h.path === '/a').length >= 4 && hits.some((h) => h.path === '/b'), 20_000, 'deliveries');
  const toA = hits.filter((h) => h.path === '/a');
  const now = await platformNow();
  for (const h of toA) expect(verifyWebhook(a.secret, h.headers, h.body, now)).toBe(true);
  const bodies = toA.map((h) => JSON.parse(h.body));
  // The repeated upstream event is a second event id (two deliveries); one event id is never delivered twice.
  expect(new Set(bodies.map((x) => x.id)).size).toBe(bodies.length);
  expect(bodies.map((x) => x.type).sort()).toEqual(['budget.thresholdCrossed', 'invoice.issued', 'subscription.activated', 'subscription.activated']);
  expect(bodies.find((x) => x.type === 'invoice.issued')).toMatchObject({ id: 'evt-hook-inv1', occurredAt: expect.any(String), data: { objectId: 'inv_hook1' } });
  expect(toA[0].headers['x-csp-event-id']).toBe(JSON.parse(toA[0].body).id);
  // B got only its own subscription, signed with its own secret (not A's).
  const toB = hits.filter((h) => h.path === '/b');
  expect(toB.map((h) => JSON.parse(h.body).data.objectId)).toEqual(['sub_hook_b1']);
  expect(verifyWebhook(b.secret, toB[0].headers, toB[0].body, now)).toBe(true);
  expect(verifyWebhook(a.secret, toB[0].headers, toB[0].body, now)).toBe(false);
  // The same event again (at least once) is neither a second delivery nor a second send.
  await s.publish('invoice.issued', { invoiceId: 'inv_hook1', number: 'A-1', kind: 'PARTNER_TO_CUSTOMER', period: '2026-10', issuerId: A, billToId: 'cus_hook0001', at: '2026-11-01T00:00:00.000Z' }, 'evt-hook-inv1');
  const list = await deliveriesOf(a.endpoint.id, tokenA);
  expect(list.totalCount).toBe(4);
  expect(list.edges.every((e: { node: { status: string; attempts: number } }) => e.node.status === 'SUCCEEDED' && e.node.attempts === 1)).toBe(true);
  // B cannot read A's endpoint (no existence oracle).
  expect(errorCode(await s.op('WebhookDeliveries', { endpointId: a.endpoint.id }, tokenB))).toBe('NOT_FOUND');
});

it('the README check refuses a stale timestamp and a changed body', async () => {
  const a = hits.find((h) => h.path === '/a')!;
  const secret = (await deps.webhookModels.endpoints.findOne({ ownerId: A, url: `${base}/a` }).lean())!.secret;
  const now = await platformNow();
  expect(verifyWebhook(secret, a.headers, a.body, now)).toBe(true);
  expect(verifyWebhook(secret, a.headers, a.body, now + 10 * 60_000)).toBe(false);
  expect(verifyWebhook(secret, a.headers, `${a.body} `, now)).toBe(false);
});

it('a receiver answering 500 three times, then 200: four attempts with growing delays, one success', async () => {
  const f = await register(tokenA, `${base}/flaky`, ['ticket.opened']);
  await s.publish('ticket.opened', { ticketId: 'tkt_hook1', number: 'SR-1', severity: 'MINIMAL', handlerPartnerId: A, requesterUserId: 'usr_x', requesterCustomerId: 'cus_hook0001', at: '2026-11-16T09:00:00.000Z', topic: 'OTHER', title: 't' }, 'evt-hook-tkt1');
  const d = await eventually(async () => {
    const l = await deliveriesOf(f.endpoint.id, tokenA);
    return l.edges[0]?.node.status === 'SUCCEEDED' ? l.edges[0].node : undefined;
  }, 30_000, 'flaky delivery');
  expect(d).toMatchObject({ eventType: 'ticket.opened', eventId: 'evt-hook-tkt1', status: 'SUCCEEDED', attempts: 4, lastResponseCode: 200, nextAttemptAt: null });
  const at = hits.filter((h) => h.path === '/flaky').map((h) => h.at);
  expect(at).toHaveLength(4);
  const gaps = at.slice(1).map((t, i) => t - at[i]);
  // Exponential backoff from 300 ms: each retry waits at least its doubling delay (a loaded machine may add to it, never take away).
  [300, 600, 1200].forEach((min, i) => expect(gaps[i]).toBeGreaterThanOrEqual(min - 20));
  const log = (await deps.webhookModels.deliveries.findOne({ endpointId: f.endpoint.id }).lean())!.log;
  expect(log.map((x) => x.responseCode)).toEqual([500, 500, 500, 200]);
  // Redeliver: the same event id once more.
  const r = await s.op('RedeliverWebhook', { deliveryId: (await deps.webhookModels.deliveries.findOne({ endpointId: f.endpoint.id }).lean())!._id }, tokenA);
  expect(r.data.redeliverWebhook.delivery.status).toBe('PENDING');
  await eventually(async () => hits.filter((h) => h.path === '/flaky').length === 5, 10_000, 'redelivery');
  expect(JSON.parse(hits.filter((h) => h.path === '/flaky')[4].body).id).toBe('evt-hook-tkt1');
  expect(errorCode(await s.op('RedeliverWebhook', { deliveryId: r.data.redeliverWebhook.delivery.id }, tokenB))).toBe('NOT_FOUND');
});

it('sendTestWebhook delivers a signed webhook.test', async () => {
  const t = await register(tokenB, `${base}/test`, ['invoice.issued']);
  const r = await s.op('SendTestWebhook', { endpointId: t.endpoint.id }, tokenB);
  expect(r.errors).toBeUndefined();
  await eventually(async () => hits.some((h) => h.path === '/test'), 10_000, 'test event');
  const h = hits.find((x) => x.path === '/test')!;
  expect(JSON.parse(h.body)).toMatchObject({ type: 'webhook.test', data: { objectId: t.endpoint.id } });
  expect(verifyWebhook(t.secret, h.headers, h.body, await platformNow())).toBe(true);
  expect(errorCode(await s.op('SendTestWebhook', { endpointId: t.endpoint.id }, tokenA))).toBe('NOT_FOUND');
});

it('refuses bad URLs and event types; in production, private and loopback addresses and http', async () => {
  const bad = await s.op('CreateWebhookEndpoint', { url: `${base}/x`, eventTypes: ['nope.happened'] }, tokenA);
  expect(errorCode(bad)).toBe('BAD_USER_INPUT');
  expect(bad.errors![0].message).toMatch(/Unknown event types: nope.happened/);
  expect(errorCode(await s.op('CreateWebhookEndpoint', { url: 'http://example.com/x', eventTypes: TYPES }, tokenA))).toBe('BAD_USER_INPUT');
  // The contract's example names map to platform event types.
  const aliased = await register(tokenA, `${base}/alias`, ['provisioning.failed', 'budget.threshold_crossed', 'ticket.updated']);
  expect(aliased.endpoint.eventTypes).toEqual(['subscription.failed', 'budget.thresholdCrossed', 'ticket.firstResponded', 'ticket.statusChanged', 'ticket.slaBreached']);
  const customer = await s.mint({ userId: 'usr_hc', kind: 'CUSTOMER_USER', customerId: 'cus_hook0001' });
  expect(errorCode(await s.op('CreateWebhookEndpoint', { url: `${base}/x`, eventTypes: TYPES }, customer))).toBe('FORBIDDEN');

  const prod = new WebhookService(deps.webhookModels, undefined as never, deps.clock, { production: true, backoffMs: 1000, maxAgeMs: 86_400_000 });
  const caller = { userId: 'usr_hooka', kind: 'PARTNER_USER' as const, partnerId: A, groupIds: [], scopes: [], roles: [] };
  for (const url of [`https://127.0.0.1:${new URL(base).port}/a`, 'https://localhost/a', 'https://10.1.2.3/a', 'https://169.254.169.254/latest', 'https://[::1]/a', 'https://[::ffff:192.168.0.1]/a']) {
    const err = await prod.create(caller, url, TYPES).catch((e) => e);
    expect(err.extensions?.code ?? err.code).toBe('BAD_USER_INPUT');
    expect(err.message).toMatch(/private, loopback or link-local/);
  }
  await expect(checkWebhookUrl(`${base}/a`, true)).rejects.toThrow(/must use https/);
  // At connect time too: the delivery's lookup refuses a loopback answer in production.
  const lookup = guardedLookup(true);
  const refused = await new Promise<Error | null>((r) => lookup('localhost', {}, (e) => r(e)));
  expect(refused?.message).toMatch(/refused: it resolves to/);
});

it('a rotated secret: both sign during the overlap, only the new one after it', async () => {
  const e = await register(tokenA, `${base}/rotate`, ['invoice.issued']);
  const rotated = await s.gql('mutation ($id: ID!) { rotateWebhookSecret(endpointId: $id, overlapHours: 1) { secret endpoint { id } } }', { id: e.endpoint.id }, tokenA);
  const fresh = rotated.data.rotateWebhookSecret.secret as string;
  expect(fresh).not.toBe(e.secret);
  const rival = await s.gql('mutation ($id: ID!) { rotateWebhookSecret(endpointId: $id) { secret } }', { id: e.endpoint.id }, tokenB);
  expect(errorCode(rival)).toBe('NOT_FOUND');
  const sendAndGet = async (n: number) => {
    await s.op('SendTestWebhook', { endpointId: e.endpoint.id }, tokenA);
    await eventually(async () => hits.filter((h) => h.path === '/rotate').length === n, 10_000, `rotate delivery ${n}`);
    return hits.filter((h) => h.path === '/rotate')[n - 1];
  };
  const during = await sendAndGet(1);
  let now = await platformNow();
  expect(verifyWebhook(fresh, during.headers, during.body, now)).toBe(true);
  expect(verifyWebhook(e.secret, during.headers, during.body, now)).toBe(true);
  expect((await s.op('AdvanceClock', { to: new Date(now + 2 * 3600_000).toISOString() }, await s.operatorToken())).errors).toBeUndefined();
  const after = await sendAndGet(2);
  now = await platformNow();
  expect(verifyWebhook(fresh, after.headers, after.body, now)).toBe(true);
  expect(verifyWebhook(e.secret, after.headers, after.body, now)).toBe(false);
});

it('an endpoint failing for a day is disabled once, with an event; its deliveries end FAILED', async () => {
  const d = await register(tokenA, `${base}/dead`, ['relationship.established']);
  await s.publish('relationship.established', { customerId: 'cus_hook0001', partnerId: A }, 'evt-hook-rel1');
  const m = deps.webhookModels;
  await eventually(async () => (await m.endpoints.findById(d.endpoint.id).lean())?.failingSince, 10_000, 'failing streak');
  const op = await s.operatorToken();
  const now = await platformNow();
  expect((await s.op('AdvanceClock', { to: new Date(now + 25 * 3600_000).toISOString() }, op)).errors).toBeUndefined();
  const ep = await eventually(async () => {
    const e = await m.endpoints.findById(d.endpoint.id).lean();
    return e && !e.enabled ? e : undefined;
  }, 20_000, 'endpoint disabled');
  expect(ep.disabledAt).toBeDefined();
  const delivery = await eventually(async () => {
    const x = await m.deliveries.findOne({ endpointId: d.endpoint.id }).lean();
    return x?.status === 'FAILED' ? x : undefined;
  }, 20_000, 'delivery FAILED');
  expect(delivery.attempts).toBeGreaterThanOrEqual(2);
  // The event left the endpoint's outbox (relayed once: its id is fixed per streak).
  await eventually(async () => (await m.endpoints.findById(d.endpoint.id).lean())!.outbox.length === 0, 10_000, 'disabled event relayed');
});
