import { inboxModel } from '@csp/kernel';
import { errorCode } from '@csp/testkit';
import { seedWorld, startBillingStack, W, waitFor, type BillingStack } from './billing-fixtures';

/**
 * Billing's read models apply events in event order, not delivery order: a relationship revoked
 * stays revoked when an older "established" arrives after it (a retry, a slow replica), and
 * pricing — which trusts that read model — refuses the partner.
 */
let s: BillingStack;
let direct: string;

beforeAll(async () => {
  s = await startBillingStack('billorder');
  await seedWorld(s);
  direct = await s.mint({ userId: 'usr_order', kind: 'PARTNER_USER', partnerId: W.direct });
}, 60_000);
afterAll(() => s?.stop());

const price = (markupPercent: string) => s.op('SetCustomerPricing', { customerId: W.c1, markupPercent }, direct);
const applied = (eventId: string) => waitFor(`event ${eventId} handled`, () => inboxModel(s.billing.rt.mongo.connection).exists({ _id: eventId }));

it('revoked, then a late "established" raised before it: still revoked', async () => {
  expect((await price('5')).errors).toBeUndefined();
  const revoked = await s.publish('relationship.revoked', { customerId: W.c1, partnerId: W.direct });
  await applied(revoked.id);
  expect(errorCode(await price('6'))).toBe('NOT_FOUND');

  const late = await s.publish('relationship.established', { customerId: W.c1, partnerId: W.direct }, undefined, new Date(Date.parse(revoked.occurredAt) - 60_000));
  await applied(late.id);
  expect(errorCode(await price('7'))).toBe('NOT_FOUND');
});

it('an "established" raised after the revoke re-opens the relationship', async () => {
  const again = await s.publish('relationship.established', { customerId: W.c1, partnerId: W.direct });
  await applied(again.id);
  expect((await price('8')).errors).toBeUndefined();
});
