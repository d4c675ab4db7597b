import { armCrashPoint, disarmCrashPoints } from '@csp/kernel';
import { eventually, startStack, type Stack } from '@csp/testkit';
import { IDS, order, partnerToken, seedFacts, subDeps } from './helpers';

/**
 * Work that finished only if the client retried now finishes by itself: a placeOrder whose
 * request died at a named point inside the flow, and a provisioning job lost with Redis, are
 * completed by the order sweep (on its interval, or at once when the platform clock moves).
 */
let stack: Stack;
let direct: string;
let operator: string;

beforeAll(async () => {
  stack = await startStack('suborderrecover', { services: ['subscription'] });
  await seedFacts(stack);
  direct = await partnerToken(stack, IDS.direct, IDS.directGroup);
  operator = await stack.operatorToken();
});
afterEach(() => disarmCrashPoints());
afterAll(() => stack?.stop());

/** Moves the platform clock on, which runs every sweeper at once. */
async function advance(ms: number): Promise<void> {
  const now = new Date((await stack.gql('{ clock { now } }', {}, operator)).data.clock.now);
  const r = await stack.gql('mutation($to: DateTime!) { advanceClock(to: $to) { now } }', { to: new Date(now.getTime() + ms).toISOString() }, operator);
  expect(r.errors).toBeUndefined();
}

it.each(['order.claimed', 'order.subscriptions-written', 'order.jobs-enqueued'])(
  'a request that dies at %s: nobody replays, and the order still ends with one subscription and one job',
  async (point) => {
    const d = subDeps(stack);
    const key = `crash-${point}`;
    const vars = order(IDS.customer, key, [{ offerId: IDS.license, quantity: 3 }]);
    armCrashPoint(point);
    const died = await stack.op('PlaceOrder', vars, direct);
    expect(died.errors).toBeDefined(); // the client saw its request fail
    const claimed = await d.models.orders.findOne({ partnerId: IDS.direct, idempotencyKey: key }).lean();
    expect(claimed?.materialized).toBe(false);

    await advance(60_000);
    await eventually(async () => (await d.models.orders.findById(claimed!._id).lean())?.materialized === true);
    const subscriptionId = claimed!.lineItems[0].subscriptionId;
    expect(await d.models.subscriptions.countDocuments({ orderId: claimed!._id })).toBe(1);
    expect(await d.queue.getJob(`provision-${subscriptionId}`)).toBeTruthy();

    // A late replay by the client answers with that same order and makes nothing more.
    const replay = await stack.op('PlaceOrder', vars, direct);
    expect(replay.data.placeOrder.order.id).toBe(claimed!._id);
    expect(await d.models.orders.countDocuments({ partnerId: IDS.direct, idempotencyKey: key })).toBe(1);
    expect(await d.models.subscriptions.countDocuments({ orderId: claimed!._id })).toBe(1);
  },
);

it('a provisioning job lost with Redis is enqueued again for its subscription', async () => {
  const d = subDeps(stack);
  const placed = await stack.op('PlaceOrder', order(IDS.customer, 'lost-job', [{ offerId: IDS.license, quantity: 2 }]), direct);
  expect(placed.errors).toBeUndefined();
  const subscriptionId = placed.data.placeOrder.order.lineItems[0].subscription.id as string;
  await (await d.queue.getJob(`provision-${subscriptionId}`))!.remove();
  expect(await d.queue.getJob(`provision-${subscriptionId}`)).toBeUndefined();

  await advance(60_000);
  await eventually(() => d.queue.getJob(`provision-${subscriptionId}`));
  expect((await d.models.subscriptions.findById(subscriptionId).lean())?.status).toBe('PROVISIONING');
});
