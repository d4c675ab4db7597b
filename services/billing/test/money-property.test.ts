import fc from 'fast-check';
import { mongo } from 'mongoose';
import { errorCode } from '@csp/testkit';
import { Dec, minorUnits } from '../src/money/decimal';
import { EU_COUNTRIES } from '../src/tax/tax-rules';
import { agreeMarkup, runMonth, startBillingStack, subFact, waitFor, type BillingStack } from './billing-fixtures';
import { csvColumn } from './money-fixtures';

/**
 * Property, through the whole pipeline, over random months: a partner and its customer with
 * random agreed currencies (EUR, CHF, USD, JPY, BHD), countries and tax ids, the month's FX and
 * VAT rates, usage, licences whose price changes mid-month, a markup changing mid-month, then
 * random credit notes (whole or partial lines) and partial payments. For every document:
 * total = Σ lines + Σ tax exactly, amounts at the currency's minor unit, the CSV sums to the
 * subtotal and shows the rate; Σ credit notes ≤ total; balance = total − Σ payments − Σ credits;
 * the invoice's stored bytes never change after issue. The vendor sells from IE.
 */
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
let s: BillingStack;
let op: string;
const CURRENCIES = ['EUR', 'CHF', 'USD', 'JPY', 'BHD'] as const;
const COUNTRIES = ['DE', 'FR', 'AT', 'CH', 'US'] as const;
const METER = 'mtr_prop';

beforeAll(async () => {
  s = await startBillingStack('billmoneyprop', { BILLING_JOB_ATTEMPTS: '2' });
  op = await s.operatorToken();
  await s.startWorker();
  await s.publish('offer.published', { offerId: 'off_prop_azure', name: 'Azure plan', family: 'AZURE', billingType: 'USAGE', minQuantity: 1, maxQuantity: 1, prices: [] });
  await s.publish('rateCard.published', {
    market: 'DE',
    currency: 'EUR',
    effectiveFrom: '2024-01-01',
    meters: [{ id: METER, name: 'Compute', category: 'Compute', unit: 'hour', rates: [{ fromQuantity: '0', price: '0.0137' }, { fromQuantity: '500', price: '0.0111' }] }],
  });
  await waitFor('rate card', async () => (await s.billing.deps.models.rateCards.countDocuments()) === 1);
}, 60_000);
afterAll(() => s?.stop());

const rateArb = fc.integer({ min: 1, max: 2_000_000 }).map((n) => new Dec(n).div(10_000).toFixed()); // 0.0001 .. 200
const world = fc.record({
  partnerCurrency: fc.constantFrom(...CURRENCIES),
  customerCurrency: fc.constantFrom(...CURRENCIES),
  partnerCountry: fc.constantFrom(...COUNTRIES),
  customerCountry: fc.constantFrom(...COUNTRIES),
  partnerTaxId: fc.boolean(),
  customerTaxId: fc.boolean(),
  fx: fc.record({ CHF: rateArb, USD: rateArb, JPY: rateArb, BHD: rateArb }),
  vat: fc.record({ DE: fc.integer({ min: 0, max: 250 }), FR: fc.integer({ min: 0, max: 250 }), AT: fc.integer({ min: 0, max: 250 }), CH: fc.integer({ min: 0, max: 250 }) }), // tenths of a percent; US: none
  usage: fc.array(fc.record({ milli: fc.integer({ min: 1, max: 400_000 }), day: fc.integer({ min: 1, max: 28 }) }), { minLength: 0, maxLength: 6 }),
  seats: fc.integer({ min: 1, max: 40 }),
  priceCents: fc.tuple(fc.integer({ min: 100, max: 5000 }), fc.integer({ min: 100, max: 5000 })),
  priceDay: fc.integer({ min: 2, max: 28 }),
  markups: fc.tuple(fc.integer({ min: -300, max: 600 }), fc.integer({ min: -300, max: 600 })), // tenths of a percent
  markupDay: fc.integer({ min: 2, max: 28 }),
  credits: fc.array(fc.record({ line: fc.nat(), percent: fc.integer({ min: 1, max: 100 }), whole: fc.boolean() }), { maxLength: 4 }),
  payments: fc.array(fc.integer({ min: 1, max: 100 }), { maxLength: 3 }),
});

/** floor(amount × percent / 100) at the minor unit: a partial amount that is never too much. */
const part = (amount: Dec, percent: number, currency: string) => amount.times(percent).div(100).toDecimalPlaces(minorUnits(currency), Dec.ROUND_DOWN);

async function raw(id: string) {
  const db = s.billing.deps.models.invoices.db;
  const header = await db.collection('invoices').findOne({ _id: id as never });
  const lines = await db.collection('invoice_lines').find({ invoiceId: id }).sort({ _id: 1 }).toArray();
  return Buffer.concat([mongo.BSON.serialize(header!), ...lines.map((l) => mongo.BSON.serialize(l))]);
}

it('every document adds up exactly; credit notes never exceed the invoice; balance = total − payments − credits; issued bytes never change', async () => {
  let i = 0;
  await fc.assert(
    fc.asyncProperty(world, async (w) => {
      const n = i++;
      const month = `2025-${String(n + 1).padStart(2, '0')}`;
      const next = `2025-${String(n + 2).padStart(2, '0')}`;
      const partnerId = `ptn_prop${n}`;
      const customerId = `cus_prop${n}`;
      const offerId = `off_prop_lic${n}`;
      const partnerTaxId = w.partnerTaxId ? `${w.partnerCountry}123456789` : undefined;
      const customerTaxId = w.customerTaxId ? `${w.customerCountry}987654321` : undefined;
      await s.publish('partner.onboarded', { partnerId, name: `Prop ${n}`, tier: 'DIRECT_PROVIDER', country: w.partnerCountry, market: 'DE', currency: w.partnerCurrency, adminAgentsGroupId: `grp_${n}`, ...(partnerTaxId ? { taxId: partnerTaxId } : {}) });
      await s.publish('customer.created', { customerId, companyName: `Prop Customer ${n}`, domain: `p${n}.example`, country: w.customerCountry, currency: w.customerCurrency, partnerId, ...(customerTaxId ? { taxId: customerTaxId } : {}) });
      const price = (cents: number, from: string) =>
        s.publish('offer.published', { offerId, name: `Seats ${n}`, family: 'OFFICE_365', billingType: 'LICENSE', minQuantity: 1, maxQuantity: 1000, prices: [{ market: 'DE', currency: 'EUR', unitPrice: new Dec(cents).div(100).toFixed(2) }], pricesEffectiveFrom: from } as never);
      await price(w.priceCents[0], '2024-01-01T00:00:00.000Z');
      await price(w.priceCents[1], `${month}-${String(w.priceDay).padStart(2, '0')}T00:00:00.000Z`);
      const base = { customerId, partnerId, quantity: w.seats };
      await subFact(s, 'activated', { subscriptionId: `sub_prop_lic${n}`, ...base, offerId, billingType: 'LICENSE', at: `${month}-01T00:00:00.000Z` });
      await subFact(s, 'cancelled', { subscriptionId: `sub_prop_lic${n}`, ...base, offerId, billingType: 'LICENSE', at: `${next}-01T00:00:00.000Z` });
      await subFact(s, 'activated', { subscriptionId: `sub_prop_use${n}`, ...base, quantity: 1, offerId: 'off_prop_azure', billingType: 'USAGE', at: `${month}-01T00:00:00.000Z` });
      const m = s.billing.deps.models;
      await waitFor('the month’s parties', async () => (await m.customers.exists({ _id: customerId })) && (await m.partners.exists({ _id: partnerId })) && (await m.offerPrices.countDocuments({ offerId })) === 2 && (await m.subFacts.countDocuments({ customerId })) === 3);
      // The month's markups: one from its first day, another from a later day.
      await agreeMarkup(s, `CUSTOMER|${partnerId}|${customerId}`, new Dec(w.markups[0]).div(10).toFixed(), `${month}-01`);
      await agreeMarkup(s, `CUSTOMER|${partnerId}|${customerId}`, new Dec(w.markups[1]).div(10).toFixed(), `${month}-${String(w.markupDay).padStart(2, '0')}`);
      expect((await s.op('PublishFxRates', { month, base: 'EUR', rates: Object.entries(w.fx).map(([currency, rate]) => ({ currency, rate })) }, op)).errors).toBeUndefined();
      const vat = Object.entries(w.vat).map(([country, tenths]) => ({ country, ratePercent: new Dec(tenths).div(10).toFixed(), validFrom: `${month}-01` }));
      expect((await s.op('PublishTaxRates', { rates: vat }, op)).errors).toBeUndefined();
      if (w.usage.length) {
        const records = w.usage.map((u, k) => ({ recordId: `prop-${n}-${k}`, subscriptionId: `sub_prop_use${n}`, meterId: METER, quantity: new Dec(u.milli).div(1000).toFixed(), usageDate: `${month}-${String(u.day).padStart(2, '0')}` }));
        expect((await s.op('RecordUsage', { records }, op)).data.recordUsage.accepted).toBe(records.length);
      }
      await runMonth(s, month);

      const partnerToken = await s.mint({ userId: `usr_p${n}`, kind: 'PARTNER_USER', partnerId });
      const mine = ((await s.op('Invoices', { first: 10, period: month }, partnerToken)).data.invoices.edges as Json[]).map((e) => e.node);
      expect(mine.map((x) => x.kind).sort()).toEqual(['PARTNER_TO_CUSTOMER', 'VENDOR_TO_PARTNER']);
      for (const inv of mine) {
        const vendor = inv.kind === 'VENDOR_TO_PARTNER';
        const token = vendor ? op : partnerToken;
        const currency = vendor ? w.partnerCurrency : w.customerCurrency;
        expect(inv.currency).toBe(currency);
        const issued = await raw(inv.id);
        const doc = (await s.op('InvoiceMoney', { id: inv.id }, token)).data.invoice;
        const rec = await s.gql('query ($id: ID!) { invoice(id: $id) { lineItems(first: 100) { edges { node { id chargeType quantity unitPrice amount fxRate } } } reconciliationCsv } }', { id: inv.id }, token);
        const lines = (rec.data.invoice.lineItems.edges as Json[]).map((e) => e.node);
        const digits = minorUnits(currency);
        const lineSum = lines.reduce((a, l) => a.plus(l.amount), new Dec(0));
        const taxSum = (doc.taxLines as Json[]).reduce((a, t) => a.plus(t.amount.amount), new Dec(0));
        // total = Σ lines + Σ tax, exactly, each at the currency's minor unit.
        expect(doc.subtotal.amount).toBe(lineSum.toFixed(digits));
        expect(doc.total.amount).toBe(lineSum.plus(taxSum).toFixed(digits));
        for (const a of [...lines.map((l) => l.amount), doc.total.amount, ...doc.taxLines.map((t: Json) => t.amount.amount)]) expect(a.split('.')[1]?.length ?? 0).toBe(digits);
        // Conversion once per line, half-even; the rate on the line, the invoice and the CSV.
        const rate = currency === 'EUR' ? undefined : (w.fx as Record<string, string>)[currency];
        expect(doc.fx).toEqual(rate ? [{ from: 'EUR', to: currency, rate: new Dec(rate).toFixed() }] : []);
        for (const l of lines) {
          expect(l.fxRate ?? undefined).toBe(rate ? new Dec(rate).toFixed() : undefined);
          if (l.chargeType === 'USAGE') expect(l.amount).toBe(new Dec(l.quantity).times(l.unitPrice).toDecimalPlaces(digits, Dec.ROUND_HALF_EVEN).toFixed(digits));
        }
        const csv = rec.data.invoice.reconciliationCsv as string;
        expect(csvColumn(csv, 'amount').reduce((a, x) => a.plus(x), new Dec(0)).toFixed(digits)).toBe(doc.subtotal.amount);
        expect(new Set(csvColumn(csv, 'fxRate'))).toEqual(new Set(lines.length ? [rate ? new Dec(rate).toFixed() : ''] : []));
        // VAT: reverse charge for EU businesses across a border, else the buyer country's rate (US: none).
        const [seller, buyer, buyerTax] = vendor ? ['IE', w.partnerCountry, partnerTaxId] : [w.partnerCountry, w.customerCountry, customerTaxId];
        const expectedRate =
          buyerTax && EU_COUNTRIES.has(seller) && seller !== buyer ? '0' : buyer in w.vat ? new Dec((w.vat as Record<string, number>)[buyer]).div(10).toFixed() : undefined;
        expect(doc.taxLines.map((t: Json) => t.ratePercent)).toEqual(expectedRate === undefined ? [] : [expectedRate]);

        // Corrections and payments by the issuer.
        for (const [k, c] of w.credits.entries()) {
          const now = (await s.op('InvoiceMoney', { id: inv.id }, token)).data.invoice;
          const credited = (now.creditNotes as Json[]).map((x) => x.id);
          const line = lines[c.line % Math.max(lines.length, 1)];
          if (!line) break;
          const notes = await m.creditNotes.find({ invoiceId: inv.id }).lean();
          const left = new Dec(line.amount).minus(notes.flatMap((x) => x.lines).filter((x) => x.lineId === line.id).reduce((a, x) => a.plus(x.amount), new Dec(0)));
          const amount = part(left, c.percent, currency);
          const input = c.whole ? { invoiceId: inv.id, reason: `whole ${k}`, idempotencyKey: `cn-${k}` } : { invoiceId: inv.id, reason: `part ${k}`, lines: [{ lineId: line.id, amount: amount.toFixed(digits) }], idempotencyKey: `cn-${k}` };
          const r = await s.op('IssueCreditNote', { input }, token);
          if (r.errors) {
            // Only when nothing (or nothing of that line) is left to credit.
            expect(errorCode(r)).toBe('BAD_USER_INPUT');
            expect(c.whole ? new Dec(now.total.amount).minus((now.creditNotes as Json[]).reduce((a, x) => a.plus(x.total.amount), new Dec(0))).lte(0) || lineSum.lte(0) : !amount.gt(0)).toBe(true);
          } else expect(credited).not.toContain(r.data.issueCreditNote.creditNote.id);
          // More than is left of a line is always refused.
          if (left.gt(0)) {
            const over = await s.op('IssueCreditNote', { input: { invoiceId: inv.id, reason: 'too much', lines: [{ lineId: line.id, amount: new Dec(line.amount).plus(new Dec(1).div(10 ** digits)).toFixed(digits) }], idempotencyKey: `over-${k}` } }, token);
            expect(errorCode(over)).toBe('BAD_USER_INPUT');
          }
        }
        for (const [k, percent] of w.payments.entries()) {
          const now = (await s.op('InvoiceMoney', { id: inv.id }, token)).data.invoice;
          const amount = part(new Dec(now.balance.amount), percent, currency);
          if (!amount.gt(0)) break;
          const r = await s.op('RecordPayment', { invoiceId: inv.id, amount: { amount: amount.toFixed(digits), currency }, receivedOn: '2026-11-16', idempotencyKey: `pay-${k}` }, token);
          expect(r.errors).toBeUndefined();
          // The same key again changes nothing.
          const again = await s.op('RecordPayment', { invoiceId: inv.id, amount: { amount: amount.toFixed(digits), currency }, receivedOn: '2026-11-16', idempotencyKey: `pay-${k}` }, token);
          expect(again.data.recordPayment.invoice.balance).toEqual(r.data.recordPayment.invoice.balance);
        }
        const after = (await s.op('InvoiceMoney', { id: inv.id }, token)).data.invoice;
        const payments = await m.payments.find({ invoiceId: inv.id }).lean();
        const notes = await m.creditNotes.find({ invoiceId: inv.id }).lean();
        const credits = notes.reduce((a, x) => a.plus(x.total), new Dec(0));
        const paid = payments.reduce((a, x) => a.plus(x.amount), new Dec(0));
        expect(credits.lte(after.total.amount)).toBe(true);
        expect(after.balance.amount).toBe(new Dec(after.total.amount).minus(paid).minus(credits).toFixed(digits));
        for (const note of notes) {
          // Each credit note adds up too: total = Σ lines + Σ tax.
          const nl = note.lines.reduce((a, x) => a.plus(x.amount), new Dec(0));
          expect(note.subtotal).toBe(nl.toFixed(digits));
          expect(note.total).toBe(note.taxLines.reduce((a, x) => a.plus(x.amount), nl).toFixed(digits));
        }
        expect(after.status).toBe(new Dec(after.total.amount).gt(0) && credits.gte(after.total.amount) ? 'CREDITED' : new Dec(after.balance.amount).lte(0) ? 'PAID' : 'ISSUED');
        expect((await raw(inv.id)).equals(issued)).toBe(true);
      }
    }),
    { numRuns: 6, endOnFailure: true },
  );
  expect(i).toBe(6);
}, 480_000);
