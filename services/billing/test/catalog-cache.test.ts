import { seedWorld, startBillingStack, subFact, unbilled, W, waitFor, waitForFacts, type BillingStack } from './billing-fixtures';

/**
 * Rate cards, offers, prices and markups are read from memory between changes, and a change is
 * in force on the very next read once its event is applied (or its mutation acknowledged).
 */
let s: BillingStack;
let op: string;
const SUB = 'sub_cache1';
// The catalog's rate cards, offers and prices, and the partners' dated markups.
const catalogCollections = ['rate_cards', 'offers', 'offer_prices', 'markups', 'markup_schedule'];

beforeAll(async () => {
  s = await startBillingStack('billcache');
  op = await s.operatorToken();
  await seedWorld(s);
  await subFact(s, 'activated', { subscriptionId: SUB, customerId: W.c1, partnerId: W.direct, billingType: 'USAGE', quantity: 1, offerId: W.azure, at: '2026-11-01T00:00:00.000Z' });
  await waitForFacts(s, 1);
  const r = await s.op('RecordUsage', { records: [{ recordId: 'c-1', subscriptionId: SUB, meterId: W.meter, quantity: '10', usageDate: '2026-11-02' }] }, op);
  expect(r.data.recordUsage.accepted).toBe(1);
}, 60_000);
afterAll(() => s?.stop());

/** The collections the billing store was asked about while `fn` ran. */
async function reads<T>(fn: () => Promise<T>): Promise<{ value: T; collections: string[] }> {
  const client = s.billing.rt.mongo.connection.getClient();
  const seen: string[] = [];
  const on = (e: { commandName: string; command: Record<string, unknown> }) => void (e.commandName === 'find' && seen.push(String(e.command.find)));
  client.on('commandStarted', on);
  try {
    return { value: await fn(), collections: seen };
  } finally {
    client.off('commandStarted', on);
  }
}

it('prices unbilled charges without re-reading rate cards, offers, prices or markups', async () => {
  expect(await unbilled(s, op, SUB)).toEqual([{ amount: '1.20', currency: 'EUR' }]); // 10 × 0.12
  const again = await reads(() => unbilled(s, op, SUB));
  expect(again.value).toEqual([{ amount: '1.20', currency: 'EUR' }]);
  expect(again.collections.filter((c) => catalogCollections.includes(c))).toEqual([]);
});

it('a newly published rate card is in force on the next read once its event is applied', async () => {
  await s.publish('rateCard.published', {
    market: 'DE',
    currency: 'EUR',
    effectiveFrom: '2026-11-01T00:00:00.000Z',
    meters: [{ id: W.meter, name: 'Compute hours', category: 'Compute', unit: 'hour', rates: [{ fromQuantity: '0', price: '0.50' }] }],
  });
  await waitFor('the new card applied', async () => (await unbilled(s, op, SUB))[0]?.amount === '5.00');
  // …and stays in force (no replica-local stale copy comes back).
  expect(await unbilled(s, op, SUB)).toEqual([{ amount: '5.00', currency: 'EUR' }]);
});

it("a partner's new customer markup is in force on its customer's very next read", async () => {
  const direct = await s.mint({ userId: 'usr_d', kind: 'PARTNER_USER', partnerId: W.direct });
  const customer = await s.mint({ userId: 'usr_c1', kind: 'CUSTOMER_USER', customerId: W.c1 });
  expect(await unbilled(s, customer, SUB)).toEqual([{ amount: '5.00', currency: 'EUR' }]); // cached, no markup
  const set = await s.op('SetCustomerPricing', { customerId: W.c1, markupPercent: '10' }, direct);
  expect(set.errors).toBeUndefined();
  // Prices never change backwards: the markup applies from today, so today's usage carries it.
  const today = String((await s.op('Clock')).data.clock.now).slice(0, 10);
  const r = await s.op('RecordUsage', { records: [{ recordId: 'c-today', subscriptionId: SUB, meterId: W.meter, quantity: '10', usageDate: today }] }, op);
  expect(r.data.recordUsage.accepted).toBe(1);
  expect(await unbilled(s, customer, SUB)).toEqual([{ amount: '10.50', currency: 'EUR' }]); // 5.00 + 10 × 0.50 × 1.10
  expect(await unbilled(s, op, SUB)).toEqual([{ amount: '10.00', currency: 'EUR' }]); // the vendor price is unchanged
});
