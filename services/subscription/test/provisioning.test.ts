import { errorCode, startStack, type Stack } from '@csp/testkit';
import type { RunningWorker } from '../src/worker-app';
import { eventually, IDS, order, partnerToken, seedFacts, startWorker, SUB_QUERY, subDeps } from './helpers';

let stack: Stack;
let worker: RunningWorker;
let direct: string;
beforeAll(async () => {
  stack = await startStack('subprov', { services: ['subscription', 'access-control'], env: { PROVISIONING_ATTEMPTS: '3', PROVISIONING_BACKOFF_MS: '50' } });
  await seedFacts(stack);
  worker = await startWorker(stack, { CLOUD_TIMEOUT_MS: '500' });
  direct = await partnerToken(stack, IDS.direct, IDS.directGroup);
});
afterAll(async () => {
  await worker?.stop();
  await stack?.stop();
});

async function place(key: string, offerId = IDS.license, quantity = 5): Promise<string> {
  const r = await stack.op('PlaceOrder', order(IDS.customer, key, [{ offerId, quantity }]), direct);
  expect(r.errors).toBeUndefined();
  return r.data.placeOrder.order.lineItems[0].subscription.id;
}

/** Lifecycle is access-control's decision: placed, and the admin agents' OWNER seed in force. */
async function placeManaged(key: string, offerId = IDS.license, quantity = 5): Promise<string> {
  const id = await place(key, offerId, quantity);
  await eventually(async () => (await stack.op('CheckAccess', { scope: `/customers/${IDS.customer}/subscriptions/${id}`, action: 'subscription/manage' }, direct)).data?.checkAccess.allowed);
  return id;
}

const read = async (id: string) => (await stack.gql(SUB_QUERY, { id }, direct)).data.subscription;
const until = (id: string, status: string) => eventually(async () => ((await read(id))?.status === status ? read(id) : undefined));

describe('provisioning', () => {
  it('the worker serves /health, /ready and /metrics with its queue metrics', async () => {
    expect((await fetch(`${worker.url}/health`)).status).toBe(200);
    const ready = await fetch(`${worker.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', service: 'subscription-worker' });
    expect(await (await fetch(`${worker.url}/metrics`)).text()).toMatch(/process_cpu/);
  });

  it('brings a subscription to ACTIVE, once, with an activated event for access-control', async () => {
    worker.deps.sim.simulate({ failFirst: 0, failureRate: 0, latencyMs: 0, hangMs: 0 });
    const id = await place('prov-ok');
    const s = await until(id, 'ACTIVE');
    expect(s.provisioning).toEqual({ state: 'COMPLETED', attempts: 1, failedReason: null });
    expect(s.history.map((h: { status: string }) => h.status)).toEqual(['PROVISIONING', 'ACTIVE']);
    expect(s.history[1].actor).toBe('system:provisioning');
    expect(await worker.deps.models.clouds.countDocuments({ subscriptionId: id })).toBe(1);
    // The activated event left through the outbox towards access-control's queue.
    const { Queue } = await import('bullmq');
    const q = new Queue('events-access-control', { connection: stack.identity.rt.redis, prefix: `${stack.env.REDIS_PREFIX}:bull` });
    const jobs = await eventually(async () => {
      const all = await q.getJobs(['waiting', 'delayed', 'prioritized', 'completed', 'active']);
      const mine = all.filter((j) => j.name === 'subscription.activated' && j.data.payload.subscriptionId === id);
      return mine.length ? mine : undefined;
    });
    expect(jobs).toHaveLength(1);
    expect(jobs[0].data.payload).toMatchObject({ adminAgentsGroupId: IDS.directGroup, partnerId: IDS.direct, customerId: IDS.customer });
    await q.close();
  });

  it('a cloud that fails twice then succeeds ends ACTIVE with attempts 3', async () => {
    worker.deps.sim.simulate({ failFirst: 2, ops: ['createSubscription'] });
    const id = await place('prov-flaky');
    const s = await until(id, 'ACTIVE');
    expect(s.provisioning).toMatchObject({ state: 'COMPLETED', attempts: 3 });
    expect(await worker.deps.models.clouds.countDocuments({ subscriptionId: id })).toBe(1);
  });

  it('a cloud that always fails ends FAILED with the reason after the last attempt', async () => {
    worker.deps.sim.simulate({ failFirst: 1000, ops: ['createSubscription'] });
    const id = await place('prov-broken');
    const s = await until(id, 'FAILED');
    expect(s.provisioning).toMatchObject({ state: 'FAILED', attempts: 3 });
    expect(s.provisioning.failedReason).toMatch(/simulated cloud: createSubscription failed/);
    expect(s.history.at(-1)).toMatchObject({ status: 'FAILED', reason: expect.stringMatching(/simulated cloud/) });
    expect(await worker.deps.models.clouds.countDocuments({ subscriptionId: id })).toBe(0);

    // Once the cloud is back, the operator retries the failed job and the subscription comes up.
    worker.deps.sim.simulate({ failFirst: 0 });
    const retried = await stack.op('RetryJob', { queue: 'subscription-provisioning', id: `provision-${id}` }, await stack.operatorToken());
    if (retried.errors) await (await subDeps(stack).queue.getJob(`provision-${id}`))!.retry();
    const after = await until(id, 'ACTIVE');
    expect(after.history.map((h: { status: string }) => h.status)).toEqual(['PROVISIONING', 'FAILED', 'PROVISIONING', 'ACTIVE']);
    expect(await worker.deps.models.clouds.countDocuments({ subscriptionId: id })).toBe(1);
  });

  it('a hanging cloud call times out and is retried without a second cloud subscription', async () => {
    // The first call creates the cloud subscription, then does not answer within CLOUD_TIMEOUT_MS (500).
    worker.deps.sim.simulate({ failFirst: 0, hangMs: 3000, ops: ['createSubscription'] });
    const id = await place('prov-hang');
    await eventually(async () => (await worker.deps.models.clouds.countDocuments({ subscriptionId: id })) === 1);
    worker.deps.sim.simulate({ hangMs: 0 });
    const s = await until(id, 'ACTIVE');
    expect(s.provisioning).toMatchObject({ state: 'COMPLETED', attempts: 2 });
    expect(await worker.deps.models.clouds.countDocuments({ subscriptionId: id })).toBe(1);
  });
});

describe('lifecycle', () => {
  let id: string;
  beforeAll(async () => {
    worker.deps.sim.simulate({ failFirst: 0, failureRate: 0, latencyMs: 0, hangMs: 0 });
    id = await placeManaged('life-1', IDS.license, 10);
    await until(id, 'ACTIVE');
  });

  it('changes quantity within bounds and the friendly name', async () => {
    const r = await stack.op('UpdateSubscription', { id, quantity: 12, friendlyName: 'Finance' }, direct);
    expect(r.errors).toBeUndefined();
    expect(r.data.updateSubscription.subscription).toEqual({ id, quantity: 12, friendlyName: 'Finance', status: 'ACTIVE' });
    expect((await worker.deps.models.clouds.findOne({ subscriptionId: id }).lean())!.quantity).toBe(12);
    const bad = await stack.op('UpdateSubscription', { id, quantity: 301 }, direct);
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
  });

  it('suspend needs a reason; reactivate; illegal transitions name the current state', async () => {
    expect(errorCode(await stack.op('SuspendSubscription', { id, reason: ' ' }, direct))).toBe('BAD_USER_INPUT');
    const s = await stack.op('SuspendSubscription', { id, reason: 'unpaid invoice' }, direct);
    expect(s.data.suspendSubscription.subscription.status).toBe('SUSPENDED');
    const again = await stack.op('SuspendSubscription', { id, reason: 'again' }, direct);
    expect(errorCode(again)).toBe('BAD_USER_INPUT');
    expect(again.errors![0].message).toMatch(/it is SUSPENDED/);
    expect(errorCode(await stack.op('UpdateSubscription', { id, quantity: 11 }, direct))).toBe('BAD_USER_INPUT');
    const re = await stack.op('ReactivateSubscription', { id }, direct);
    expect(re.data.reactivateSubscription.subscription.status).toBe('ACTIVE');
    const c = await stack.op('CancelSubscription', { id }, direct);
    expect(c.data.cancelSubscription.subscription.status).toBe('CANCELLED');
    const r2 = await stack.op('ReactivateSubscription', { id }, direct);
    expect(errorCode(r2)).toBe('BAD_USER_INPUT');
    expect(r2.errors![0].message).toMatch(/it is CANCELLED/);
    const h = (await read(id)).history;
    expect(h.map((x: { status: string }) => x.status)).toEqual(['PROVISIONING', 'ACTIVE', 'SUSPENDED', 'ACTIVE', 'CANCELLED']);
    expect(h[2]).toMatchObject({ actor: 'usr_direct1', reason: 'unpaid invoice' });
    expect((await worker.deps.models.clouds.findOne({ subscriptionId: id }).lean())!.status).toBe('CANCELLED');
  });

  it('concurrent conflicting transitions cannot both win', async () => {
    const sid = await placeManaged('life-race', IDS.license, 2);
    await until(sid, 'ACTIVE');
    const results = await Promise.all([
      ...Array.from({ length: 5 }, (_, i) => stack.op('SuspendSubscription', { id: sid, reason: `r${i}` }, direct)),
      ...Array.from({ length: 5 }, () => stack.op('CancelSubscription', { id: sid }, direct)),
    ]);
    const ok = results.filter((r) => !r.errors);
    const suspendsOk = ok.filter((r) => r.data.suspendSubscription).length;
    const cancelsOk = ok.filter((r) => r.data.cancelSubscription).length;
    // At most one suspend wins, exactly one cancel wins (from ACTIVE or SUSPENDED), the rest are refused.
    expect(suspendsOk).toBeLessThanOrEqual(1);
    expect(cancelsOk).toBe(1);
    for (const r of results.filter((x) => x.errors)) expect(errorCode(r)).toBe('BAD_USER_INPUT');
    const h = (await read(sid)).history.map((x: { status: string }) => x.status);
    expect(h.filter((x: string) => x === 'CANCELLED')).toHaveLength(1);
    expect(h.filter((x: string) => x === 'SUSPENDED').length).toBe(suspendsOk);
  });

  it('cancel while provisioning wins; the job then leaves it CANCELLED', async () => {
    worker.deps.sim.simulate({ latencyMs: 800, ops: ['createSubscription'] });
    const sid = await placeManaged('life-cancel-early', IDS.license, 1);
    const c = await stack.op('CancelSubscription', { id: sid }, direct);
    expect(c.data.cancelSubscription.subscription.status).toBe('CANCELLED');
    await eventually(async () => (await read(sid)).provisioning.state === 'COMPLETED');
    expect((await read(sid)).status).toBe('CANCELLED');
    // Whatever the job created in the cloud was cancelled too.
    await eventually(async () => (await worker.deps.models.clouds.findOne({ subscriptionId: sid }).lean())?.status === 'CANCELLED');
    worker.deps.sim.simulate({ latencyMs: 0 });
  });

  it('only the partner may change the lifecycle; other tenants get NOT_FOUND', async () => {
    const sid = await placeManaged('life-auth', IDS.license, 1);
    const other = await partnerToken(stack, IDS.other, IDS.otherGroup);
    expect(errorCode(await stack.op('CancelSubscription', { id: sid }, other))).toBe('NOT_FOUND');
    const cust = await stack.mint({ userId: 'usr_cust1', kind: 'CUSTOMER_USER', customerId: IDS.customer });
    expect(errorCode(await stack.op('CancelSubscription', { id: sid }, cust))).toBe('FORBIDDEN');
    const otherCust = await stack.mint({ userId: 'usr_cust9', kind: 'CUSTOMER_USER', customerId: IDS.otherCustomer });
    expect(errorCode(await stack.op('CancelSubscription', { id: sid }, otherCust))).toBe('NOT_FOUND');
  });
});

describe('simulated cloud usage', () => {
  it('reports daily usage for running services as usage.reported, once per day', async () => {
    worker.deps.sim.simulate({ failFirst: 0, latencyMs: 0, hangMs: 0 });
    const sid = await placeManaged('usage-1', IDS.azure, 1);
    await until(sid, 'ACTIVE');
    const d = subDeps(stack);
    await d.services.create(sid, 'web', IDS.meter);
    await d.services.start(sid, 'web');
    const op = await stack.operatorToken();
    const now = new Date((await stack.gql('{ clock { now } }', {}, op)).data.clock.now);
    const target = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 2, 6));
    const adv = await stack.gql('mutation($to: DateTime!) { advanceClock(to: $to) { now } }', { to: target.toISOString() }, op);
    expect(adv.errors).toBeUndefined();
    const batches = await eventually(async () => {
      const docs = await worker.deps.models.usageBatches.find().lean();
      return docs.length >= 2 ? docs : undefined;
    });
    const day1 = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)).toISOString().slice(0, 10);
    expect(batches.map((b) => b.usageDate)).toEqual(expect.arrayContaining([day1]));
    // The event itself was relayed (outbox drained) to billing's queue with a deterministic record id.
    const { Queue } = await import('bullmq');
    const q = new Queue('events-billing', { connection: stack.identity.rt.redis, prefix: `${stack.env.REDIS_PREFIX}:bull` });
    const usage = await eventually(async () => {
      const jobs = (await q.getJobs(['waiting', 'delayed', 'prioritized'])).filter((j) => j.name === 'usage.reported');
      return jobs.length >= 2 ? jobs : undefined;
    });
    const records = usage.flatMap((j) => j.data.payload.records);
    const full = records.find((r: { usageDate: string }) => r.usageDate === day1);
    expect(full).toEqual({ recordId: `sim-${sid}-web-${day1}`, subscriptionId: sid, meterId: IDS.meter, quantity: '24.0000', usageDate: day1 });
    await q.close();
    // A repeated fire for the same day makes no second report.
    const { reportDailyUsage } = await import('../src/cloud/sim-usage');
    await reportDailyUsage(new Date(`${day1}T00:00:00.000Z`), worker.deps.models.clouds, worker.deps.models.usageBatches, worker.rt.clock);
    await reportDailyUsage(new Date(`${day1}T00:00:00.000Z`), worker.deps.models.clouds, worker.deps.models.usageBatches, worker.rt.clock);
    expect(await worker.deps.models.usageBatches.countDocuments({ usageDate: batches[0].usageDate })).toBe(1);
  });
});
