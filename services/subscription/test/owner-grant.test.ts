import { errorCode, startStack, type Stack } from '@csp/testkit';
import type { Worker } from 'bullmq';
import { provisionJobId } from '../src/provisioning/provisioning.queue';
import type { RunningWorker } from '../src/worker-app';
import { eventually, IDS, order, partnerToken, seedFacts, startWorker, SUB_QUERY, subDeps } from './helpers';

/**
 * ACTIVE means usable: a subscription is reported ACTIVE only once its partner's OWNER grant is
 * in force at access-control. While access-control is down, or has not applied the grant yet,
 * the provisioning job waits and runs again (the cloud subscription made once), and a MANUAL
 * partner offer cannot be fulfilled.
 */
let stack: Stack;
let worker: RunningWorker;
let direct: string;
let consumer: Worker;
const PO = { manual: 'pof_og_manual', automatic: 'pof_og_auto' };

beforeAll(async () => {
  stack = await startStack('subownergrant', { services: ['subscription', 'access-control'], env: { PROVISIONING_BACKOFF_MS: '50', OWNER_GRANT_WAIT_MS: '300' } });
  await seedFacts(stack);
  const publish = (offerId: string, fulfilment: 'MANUAL' | 'AUTOMATIC') =>
    stack.publish('partnerOffer.published', {
      offerId,
      publisherId: IDS.direct,
      name: offerId,
      chargeType: 'MONTHLY',
      fulfilment,
      price: { unitPrice: '10.00', currency: 'USD', effectiveFrom: '2020-01-01T00:00:00.000Z' },
    });
  await publish(PO.manual, 'MANUAL');
  await publish(PO.automatic, 'AUTOMATIC');
  await eventually(async () => (await subDeps(stack).rm.partnerOffers.countDocuments()) === 2);
  worker = await startWorker(stack);
  direct = await partnerToken(stack, IDS.direct, IDS.directGroup);
  consumer = stack.services['access-control']!.consumer!;
});
afterEach(() => {
  worker.deps.accessControl.url = stack.services['access-control']!.url;
  consumer.resume();
});
afterAll(async () => {
  await worker?.stop();
  await stack?.stop();
});

async function place(key: string, offerId: string, quantity = 1): Promise<{ id: string; status: string }> {
  const r = await stack.op('PlaceOrder', order(IDS.customer, key, [{ offerId, quantity }]), direct);
  expect(r.errors).toBeUndefined();
  return r.data.placeOrder.order.lineItems[0].subscription;
}

const read = async (id: string) => (await stack.gql(SUB_QUERY, { id }, direct)).data.subscription;
const until = (id: string, status: string) => eventually(async () => ((await read(id))?.status === status ? read(id) : undefined), 30_000, `${id} ${status}`);
/** Until the job has found the grant not in force `n` times (it waits, then runs again). */
const waited = (id: string, n: number) =>
  eventually(async () => ((await subDeps(stack).queue.getJob(provisionJobId(id)))?.data.ownerWaits ?? 0) >= n, 30_000, `${id} waited ${n} times`);
const owners = (id: string) =>
  (stack.services['access-control']!.deps as { models: { assignments: { countDocuments(q: object): Promise<number> } } }).models.assignments.countDocuments({
    scope: `/customers/${IDS.customer}/subscriptions/${id}`,
    role: 'OWNER',
    principalId: IDS.directGroup,
  });

it('access-control down: created in the cloud once, PROVISIONING meanwhile; ACTIVE once access-control answers', async () => {
  worker.deps.accessControl.url = 'http://127.0.0.1:1'; // nothing listens there
  const { id } = await place('og-down', IDS.license, 3);
  await waited(id, 2);
  expect((await read(id)).status).toBe('PROVISIONING');
  expect(await worker.deps.models.clouds.countDocuments({ subscriptionId: id })).toBe(1);

  worker.deps.accessControl.url = stack.services['access-control']!.url;
  const s = await until(id, 'ACTIVE');
  expect(s.history.map((h: { status: string }) => h.status)).toEqual(['PROVISIONING', 'ACTIVE']);
  expect(s.provisioning).toMatchObject({ state: 'COMPLETED', attempts: 1, failedReason: null });
  expect(await worker.deps.models.clouds.countDocuments({ subscriptionId: id })).toBe(1);
  expect(await owners(id)).toBe(1);
});

it("the grant not applied yet (access-control's consumer paused): PROVISIONING until it is, then ACTIVE", async () => {
  await consumer.pause();
  const { id } = await place('og-absent', IDS.license, 2);
  await waited(id, 2);
  expect((await read(id)).status).toBe('PROVISIONING');
  expect(await owners(id)).toBe(0);

  consumer.resume();
  await until(id, 'ACTIVE');
  expect(await owners(id)).toBe(1);
  expect(await worker.deps.models.clouds.countDocuments({ subscriptionId: id })).toBe(1);
});

it('an AUTOMATIC partner offer takes the same path: never in the cloud, ACTIVE once its OWNER is in force', async () => {
  await consumer.pause();
  const placed = await place('og-auto', PO.automatic, 4);
  expect(placed.status).toBe('PROVISIONING');
  await waited(placed.id, 1);
  expect((await read(placed.id)).status).toBe('PROVISIONING');

  consumer.resume();
  const s = await until(placed.id, 'ACTIVE');
  expect(s.history.at(-1)).toMatchObject({ status: 'ACTIVE', actor: 'system:provisioning', reason: 'fulfilled automatically' });
  expect(await worker.deps.models.clouds.countDocuments({ subscriptionId: placed.id })).toBe(0);
  expect(await owners(placed.id)).toBe(1);
});

it('a MANUAL partner offer is not fulfilled while its OWNER grant is not in force: SERVICE_UNAVAILABLE, nothing changed', async () => {
  await consumer.pause();
  const placed = await place('og-manual', PO.manual, 2);
  expect(placed.status).toBe('PENDING_FULFILMENT');
  const refused = await stack.op('FulfilSubscription', { id: placed.id }, direct);
  expect(errorCode(refused)).toBe('SERVICE_UNAVAILABLE');
  expect(refused.errors![0].message).toMatch(/OWNER grant is not in force/);
  expect((await read(placed.id)).history.map((h: { status: string }) => h.status)).toEqual(['PENDING_FULFILMENT']);

  consumer.resume();
  await eventually(async () => (await owners(placed.id)) === 1);
  const done = await stack.op('FulfilSubscription', { id: placed.id, note: 'delivered' }, direct);
  expect(done.errors).toBeUndefined();
  expect(done.data.fulfilSubscription.subscription).toEqual({ id: placed.id, status: 'ACTIVE' });
});
