import fc from 'fast-check';
import { Dec } from '../src/money/decimal';
import { agreeMarkup, runMonth, seedWorld, startBillingStack, subFact, unbilled, W, waitForFacts, type BillingStack } from './billing-fixtures';

/**
 * Property, through the whole pipeline (gateway → ingestion → run → worker → invoices): for
 * random usage in a month, every invoice's total equals the sum of its lines, the vendor's
 * invoice equals the unbilled charges shown before the run, and both equal the usage rated by
 * hand here: in a month before 2026-10-16 the compute meter costs 0.10 for the first 100
 * units and 0.08 beyond; storage 0.02 flat; one line per tier, rounded half-even once.
 */
let s: BillingStack;
let op: string;
const SUBS = ['sub_prop_a', 'sub_prop_b'];

beforeAll(async () => {
  s = await startBillingStack('billprop');
  op = await s.operatorToken();
  await s.startWorker();
  await seedWorld(s);
  for (const id of SUBS) {
    await subFact(s, 'activated', { subscriptionId: id, customerId: W.c1, partnerId: W.direct, offerId: W.azure, billingType: 'USAGE', quantity: 1, at: '2025-12-01T00:00:00.000Z' });
  }
  await waitForFacts(s, SUBS.length);
}, 60_000);
afterAll(() => s?.stop());

const cents = (d: Dec) => d.toDecimalPlaces(2, Dec.ROUND_HALF_EVEN);

/** The month's charges of one subscription and meter, rated by hand from the total quantity. */
function byHand(meter: string, q: Dec, factor: Dec): Dec {
  if (meter === W.meter2) return cents(q.times('0.02').times(factor));
  const low = Dec.min(q, 100);
  const high = Dec.max(0, q.minus(100));
  return cents(low.times('0.10').times(factor)).plus(high.gt(0) ? cents(high.times('0.08').times(factor)) : 0);
}

const row = fc.record({
  sub: fc.constantFrom(...SUBS),
  meter: fc.constantFrom(W.meter, W.meter2),
  milli: fc.integer({ min: 0, max: 90_000 }), // up to 90 units, 3 decimals
  day: fc.integer({ min: 1, max: 28 }),
});

it('every invoice total = sum of its lines = unbilled before the run = usage rated by hand', async () => {
  const months = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'];
  let iteration = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 12 }), fc.integer({ min: -300, max: 300 }), async (rows, markupTenths) => {
      const month = months[iteration++];
      const markup = new Dec(markupTenths).div(10);
      // The month's markup, agreed from its first day (markups take effect from a day, never backwards).
      await agreeMarkup(s, `CUSTOMER|${W.direct}|${W.c1}`, markup.toFixed(), `${month}-01`);
      const records = rows.map((r, i) => ({
        recordId: `${month}-${i}`,
        subscriptionId: r.sub,
        meterId: r.meter,
        quantity: new Dec(r.milli).div(1000).toFixed(),
        usageDate: `${month}-${String(r.day).padStart(2, '0')}`,
      }));
      const ing = await s.op('RecordUsage', { records }, op);
      expect(ing.data.recordUsage.accepted).toBe(records.length);

      const before = await unbilled(s, op, ...SUBS);
      await runMonth(s, month);

      // By hand: total quantity per subscription and meter → tier lines.
      const totals = new Map<string, Dec>();
      for (const r of records) totals.set(`${r.subscriptionId}|${r.meterId}`, (totals.get(`${r.subscriptionId}|${r.meterId}`) ?? new Dec(0)).plus(r.quantity));
      const expected = (factor: Dec) => [...totals].reduce((a, [k, q]) => a.plus(byHand(k.split('|')[1], q, factor)), new Dec(0));
      const vendorExpected = expected(new Dec(1));
      const customerExpected = expected(new Dec(1).plus(markup.div(100)));

      const unbilledSum = before.reduce((a, m) => a.plus(m!.amount), new Dec(0));
      expect(unbilledSum.toFixed(2)).toBe(vendorExpected.toFixed(2));

      for (const token of [op, await s.mint({ userId: 'usr_c1', kind: 'CUSTOMER_USER', customerId: W.c1 })]) {
        const all = (await s.op('Invoices', { period: month }, token)).data.invoices.edges.map((e: { node: { id: string; total: { amount: string }; subtotal: { amount: string }; kind: string } }) => e.node);
        // the operator reads both; its own is the vendor's
        const inv = token === op ? all.filter((i: { kind: string }) => i.kind === 'VENDOR_TO_PARTNER') : all;
        expect(inv).toHaveLength(1);
        const rec = (await s.op('InvoiceReconciliation', { id: inv[0].id, first: 100 }, token)).data.invoice;
        const sum = rec.lineItems.edges.reduce((a: Dec, e: { node: { amount: string } }) => a.plus(e.node.amount), new Dec(0));
        expect(sum.toFixed(2)).toBe(inv[0].total.amount);
        expect(inv[0].subtotal.amount).toBe(inv[0].total.amount);
        expect(inv[0].total.amount).toBe((inv[0].kind === 'VENDOR_TO_PARTNER' ? vendorExpected : customerExpected).toFixed(2));
      }
    }),
    { numRuns: months.length, endOnFailure: true },
  );
  expect(iteration).toBe(months.length);
  expect(await s.billing.deps.models.invoices.countDocuments()).toBe(2 * months.length);
}, 120_000);
