import { eventually, startStack, type Stack } from '@csp/testkit';
import { IDS, order, partnerToken, seedFacts, subDeps } from './helpers';

/**
 * Work that finished only if the client retried now finishes by itself: a provisioning job lost
 * with Redis is enqueued again by the order sweep (on its interval, or at once when the platform
 * clock moves). A placeOrder whose process died at a named point: gateway/test/crash-recovery.test.ts.
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
afterAll(() => stack?.stop());

/** Moves the platform clock on, which runs every sweeper at once. */
async function advance(ms: number): Promise<void> {
  const now = new Date((await stack.gql('{ clock { now } }', {}, operator)).data.clock.now);
  const r = await stack.gql('mutation($to: DateTime!) { advanceClock(to: $to) { now } }', { to: new Date(now.getTime() + ms).toISOString() }, operator);
  expect(r.errors).toBeUndefined();
}

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
