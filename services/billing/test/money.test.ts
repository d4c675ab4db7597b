import { mongo } from 'mongoose';
import { errorCode } from '@csp/testkit';
import { invoiceIdOf } from '../src/invoices/invoicing.service';
import { contentHash } from '../src/invoices/content-hash';
import { INVOICING_QUEUE } from '../src/runs/queues';
import { Dec } from '../src/money/decimal';
import { agreeMarkup, startBillingStack, unbilled, type BillingStack } from './billing-fixtures';
import { cents, csvColumn, M, seedMoneySubscriptions, seedMoneyWorld, SUBS } from './money-fixtures';

/**
 * money.graphql through the gateway, on one closed month (October 2026; the clock stands at
 * 2026-11-16): agreed currencies with the operator's FX rates, VAT and reverse charge, payment
 * terms, a missing rate failing one bill-to only, credit notes, payments, summaries, OVERDUE.
 */
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
let s: BillingStack;
let op: string;
const tok = {
  chf: () => s.mint({ userId: 'usr_chf', kind: 'PARTNER_USER', partnerId: M.chf }),
  eur: () => s.mint({ userId: 'usr_eur', kind: 'PARTNER_USER', partnerId: M.eur }),
  usd: () => s.mint({ userId: 'usr_cusd', kind: 'CUSTOMER_USER', customerId: M.usdCustomer }),
  eurCustomer: () => s.mint({ userId: 'usr_ceur', kind: 'CUSTOMER_USER', customerId: M.eurCustomer }),
};
const PERIOD = '2026-10';
let runId: string;

beforeAll(async () => {
  s = await startBillingStack('billmoney', { BILLING_JOB_ATTEMPTS: '3' });
  op = await s.operatorToken();
  await s.startWorker();
  await seedMoneyWorld(s);
  await seedMoneySubscriptions(s);
  // The CHF partner's markup for its USD customer: 10 % since September, 20 % from 2026-10-20 on.
  await agreeMarkup(s, `CUSTOMER|${M.chf}|${M.usdCustomer}`, '10', '2026-09-01');
  await agreeMarkup(s, `CUSTOMER|${M.chf}|${M.usdCustomer}`, '20', '2026-10-20');
  const usage = (recordId: string, subscriptionId: string, quantity: string, usageDate: string) => ({ recordId, subscriptionId, meterId: M.meter, quantity, usageDate });
  const r = await s.op(
    'RecordUsage',
    { records: [usage('m-1', SUBS.s2, '100', '2026-10-05'), usage('m-2', SUBS.s3, '40', '2026-10-07'), usage('m-3', SUBS.s4, '50', '2026-10-09'), usage('m-4', SUBS.s5, '20', '2026-10-11')] },
    op,
  );
  expect(r.data.recordUsage.accepted).toBe(4);
}, 90_000);
afterAll(() => s?.stop());

async function invoicesOf(token: string, period = PERIOD): Promise<Json[]> {
  const r = await s.op('Invoices', { first: 50, period }, token);
  expect(r.errors).toBeUndefined();
  return r.data.invoices.edges.map((e: { node: Json }) => e.node);
}
async function money(id: string, token: string): Promise<Json> {
  const r = await s.op('InvoiceMoney', { id }, token);
  expect(r.errors).toBeUndefined();
  return r.data.invoice;
}
async function reconciliation(id: string, token: string): Promise<{ lines: Json[]; csv: string }> {
  const r = await s.gql(
    'query ($id: ID!) { invoice(id: $id) { lineItems(first: 100) { edges { node { id subscription { id } chargeType quantity unitPrice amount usageFrom usageTo fxRate sourceCurrency sourceAmount } } } reconciliationCsv } }',
    { id },
    token,
  );
  expect(r.errors).toBeUndefined();
  return { lines: r.data.invoice.lineItems.edges.map((e: { node: Json }) => e.node), csv: r.data.invoice.reconciliationCsv };
}
const sum = (xs: string[]) => xs.reduce((a, x) => a.plus(x), new Dec(0));

describe('operator rates', () => {
  it('PublishFxRates and PublishTaxRates: operator only, checked input', async () => {
    const fx = await s.op('PublishFxRates', { month: PERIOD, base: 'EUR', rates: [{ currency: 'CHF', rate: '0.95' }, { currency: 'USD', rate: '1.08' }] }, op);
    expect(fx.errors).toBeUndefined();
    expect(fx.data.publishFxRates).toEqual({ month: PERIOD, base: 'EUR', rates: [{ currency: 'CHF', rate: '0.95' }, { currency: 'USD', rate: '1.08' }] });
    const tax = await s.op('PublishTaxRates', { rates: [{ country: 'DE', ratePercent: '19', validFrom: '2026-01-01' }, { country: 'FR', ratePercent: '20', validFrom: '2026-01-01' }, { country: 'DE', ratePercent: '16', validFrom: '2020-07-01' }] }, op);
    expect(tax.errors).toBeUndefined();
    expect(tax.data.publishTaxRates).toContainEqual({ country: 'DE', ratePercent: '19', validFrom: '2026-01-01' });

    expect(errorCode(await s.op('PublishFxRates', { month: PERIOD, base: 'EUR', rates: [{ currency: 'CHF', rate: '0.9' }] }, await tok.chf()))).toBe('FORBIDDEN');
    expect(errorCode(await s.op('PublishFxRates', { month: '2026-13', base: 'EUR', rates: [{ currency: 'CHF', rate: '0.9' }] }, op))).toBe('BAD_USER_INPUT');
    expect(errorCode(await s.op('PublishFxRates', { month: PERIOD, base: 'EUR', rates: [{ currency: 'XYZ', rate: '0.9' }] }, op))).toBe('BAD_USER_INPUT');
    expect(errorCode(await s.op('PublishFxRates', { month: PERIOD, base: 'EUR', rates: [{ currency: 'CHF', rate: '0' }] }, op))).toBe('BAD_USER_INPUT');
    expect(errorCode(await s.op('PublishTaxRates', { rates: [{ country: 'DE', ratePercent: '101', validFrom: '2026-01-01' }] }, op))).toBe('BAD_USER_INPUT');
    expect(errorCode(await s.op('PublishTaxRates', { rates: [{ country: 'DE', ratePercent: '19', validFrom: '2026-02-30' }] }, op))).toBe('BAD_USER_INPUT');
    // Two letters are not a country: ZZ is no ISO 3166-1 code (the kernel's one country rule).
    expect(errorCode(await s.op('PublishTaxRates', { rates: [{ country: 'ZZ', ratePercent: '19', validFrom: '2026-01-01' }] }, op))).toBe('BAD_USER_INPUT');
    expect(errorCode(await s.op('PublishTaxRates', { rates: [{ country: 'DE', ratePercent: '19', validFrom: '2026-01-01' }] }, await tok.chf()))).toBe('FORBIDDEN');
    // Nothing of the refused calls was stored: CHF is still 0.95.
    expect((await s.billing.deps.models.fxRates.findById(`${PERIOD}|EUR|CHF`).lean())?.rate).toBe('0.95');
  });

  it('markups take effect from today or a later day, never backwards', async () => {
    const chf = await tok.chf();
    const back = await s.gql('mutation { setCustomerPricing(customerId: "cus_usd0001", markupPercent: "50", effectiveFrom: "2026-10-01") { effectiveFrom } }', {}, chf);
    expect(errorCode(back)).toBe('BAD_USER_INPUT');
    expect(back.errors![0].message).toMatch(/never change backwards/);
    const later = await s.gql('mutation { setCustomerPricing(customerId: "cus_usd0001", markupPercent: "25", effectiveFrom: "2026-12-01") { markupPercent effectiveFrom } }', {}, chf);
    expect(later.data.setCustomerPricing).toEqual({ markupPercent: '25', effectiveFrom: '2026-12-01' });
    // The contract's call (no date) takes effect today.
    const today = await s.op('SetCustomerPricing', { customerId: M.usdCustomer, markupPercent: '20' }, chf);
    expect(today.data.setCustomerPricing).toEqual({ customerId: M.usdCustomer, markupPercent: '20' });
  });

  it('unbilled figures never jump retroactively: a markup from tomorrow leaves what accrued so far as it was', async () => {
    const before = await unbilled(s, await tok.usd(), SUBS.s1);
    // October (not yet invoiced) and November so far, at the markups of each day.
    expect(new Dec(before[0]!.amount).gt(0)).toBe(true);
    const r = await s.gql('mutation { setCustomerPricing(customerId: "cus_usd0001", markupPercent: "99", effectiveFrom: "2026-11-17") { effectiveFrom } }', {}, await tok.chf());
    expect(r.errors).toBeUndefined();
    expect(await unbilled(s, await tok.usd(), SUBS.s1)).toEqual(before);
    // Back to 20 % from tomorrow, so the rest of this file sees one markup in November.
    await s.gql('mutation { setCustomerPricing(customerId: "cus_usd0001", markupPercent: "20", effectiveFrom: "2026-11-17") { effectiveFrom } }', {}, await tok.chf());
  });

  it('payment terms per agreement: the issuer sets them, others get NOT_FOUND', async () => {
    const r = await s.gql('mutation { setPaymentTerms(billToId: "cus_usd0001", netDays: 14) { billToId netDays } }', {}, await tok.chf());
    expect(r.data.setPaymentTerms).toEqual({ billToId: M.usdCustomer, netDays: 14 });
    expect(errorCode(await s.gql('mutation { setPaymentTerms(billToId: "cus_usd0001", netDays: 7) { netDays } }', {}, await tok.eur()))).toBe('NOT_FOUND');
    expect(errorCode(await s.gql('mutation { setPaymentTerms(billToId: "cus_usd0001", netDays: 999) { netDays } }', {}, await tok.chf()))).toBe('BAD_USER_INPUT');
  });
});

describe('the October run', () => {
  it('a missing GBP rate fails only the GBP bill-tos, with a readable reason on the run and the job; nothing half-made', async () => {
    const started = await s.op('StartInvoiceRun', { period: PERIOD }, op);
    runId = started.data.startInvoiceRun.run.id;
    const run = await s.waitFor('run FAILED on the GBP bill-tos', async () => {
      const r = (await s.op('InvoiceRun', { id: runId }, op)).data.invoiceRun;
      return r.status === 'FAILED' && r.invoicesCreated === 5 ? r : undefined;
    }, 30_000);
    expect(run.failedReason).toMatch(/no exchange rate EUR→GBP published for 2026-10: publish the month's rates \(publishFxRates\) and retry this job/);
    // The job dashboard reads the same failed jobs: one attempt each (no point retrying alone).
    const failed = (await s.op('Jobs', { queue: INVOICING_QUEUE, state: 'FAILED', first: 10 }, op)).data.jobs as Json[];
    expect(failed).toHaveLength(2);
    expect(failed.every((j) => /no exchange rate EUR→GBP/.test(j.failedReason) && j.attempts === 1)).toBe(true);
    // The others were issued; for GBP there is no header and no line.
    const all = await invoicesOf(op);
    expect(all.map((i) => `${i.kind} ${i.billTo.id} ${i.currency}`).sort()).toEqual(
      [
        `PARTNER_TO_CUSTOMER ${M.eurCustomer} EUR`,
        `PARTNER_TO_CUSTOMER ${M.frCustomer} EUR`,
        `PARTNER_TO_CUSTOMER ${M.usdCustomer} USD`,
        `VENDOR_TO_PARTNER ${M.chf} CHF`,
        `VENDOR_TO_PARTNER ${M.eur} EUR`,
      ].sort(),
    );
    const gbpIds = [invoiceIdOf('VENDOR_TO_PARTNER', 'vendor', M.gbp, PERIOD, 'GBP'), invoiceIdOf('PARTNER_TO_CUSTOMER', M.gbp, M.gbpCustomer, PERIOD, 'GBP')];
    expect(await s.billing.deps.models.lines.countDocuments({ invoiceId: { $in: gbpIds } })).toBe(0);

    // Publish the rate, retry the jobs: issued once each, the run completes.
    expect((await s.op('PublishFxRates', { month: PERIOD, base: 'EUR', rates: [{ currency: 'GBP', rate: '0.87' }] }, op)).errors).toBeUndefined();
    for (const j of failed) expect((await s.op('RetryJob', { queue: INVOICING_QUEUE, id: j.id }, op)).errors).toBeUndefined();
    const done = await s.waitFor('run COMPLETED', async () => {
      const r = (await s.op('InvoiceRun', { id: runId }, op)).data.invoiceRun;
      return r.status === 'COMPLETED' ? r : undefined;
    }, 30_000);
    expect(done.invoicesCreated).toBe(7);
    const gbp = (await invoicesOf(op)).filter((i) => i.currency === 'GBP');
    expect(gbp).toHaveLength(2);
    // 20 × 0.10 EUR = 2.00 EUR × 0.87 = 1.74 GBP; GB has no published VAT rate: no tax line.
    for (const i of gbp) {
      const m = await money(i.id, op);
      expect(m).toMatchObject({ subtotal: { amount: '1.74', currency: 'GBP' }, total: { amount: '1.74' }, taxLines: [], fx: [{ from: 'EUR', to: 'GBP', rate: '0.87' }] });
    }
    // A second start of the month changes nothing.
    await s.op('StartInvoiceRun', { period: PERIOD }, op);
    await new Promise((r) => setTimeout(r, 300));
    expect(await s.billing.deps.models.invoices.countDocuments({ period: PERIOD })).toBe(7);
  }, 90_000);

  it('the CHF partner gets a CHF vendor invoice at the published rate, reverse charged; its CSV sums to the subtotal and shows the rate', async () => {
    const [inv] = (await invoicesOf(await tok.chf())).filter((i) => i.kind === 'VENDOR_TO_PARTNER');
    const m = await money(inv.id, await tok.chf());
    // Lines at vendor prices in EUR, converted once each: 100 × 0.10 × 0.95 = 9.50; 40 × 0.10 × 0.95 = 3.80;
    // licences 3 × 10 × 15/31 × 0.95 = 13.79 (1st-15th) and 3 × 12 × 16/31 × 0.95 = 17.65 (from the new price on the 16th).
    const expected = [cents(new Dec(3).times(10).times(15).div(31).times('0.95')), cents(new Dec(3).times(12).times(16).div(31).times('0.95')), new Dec('9.50'), new Dec('3.80')];
    const subtotal = sum(expected.map((d) => d.toFixed(2)));
    expect(subtotal.toFixed(2)).toBe('44.74');
    expect(m).toMatchObject({
      currency: 'CHF',
      status: 'ISSUED',
      subtotal: { amount: '44.74', currency: 'CHF' },
      total: { amount: '44.74', currency: 'CHF' },
      balance: { amount: '44.74', currency: 'CHF' },
      fx: [{ from: 'EUR', to: 'CHF', rate: '0.95' }],
      creditNotes: [],
    });
    // The vendor (IE) sells to a German business with a VAT number: reverse charge, 0 %, with the note.
    expect(m.taxLines).toEqual([{ description: `VAT reverse charge 0 % (buyer ${M.chfTaxId})`, ratePercent: '0', base: { amount: '44.74', currency: 'CHF' }, amount: { amount: '0.00', currency: 'CHF' } }]);
    const note = await s.gql('query ($id: ID!) { invoice(id: $id) { legalNote buyerTaxId } }', { id: inv.id }, await tok.chf());
    expect(note.data.invoice).toEqual({ legalNote: expect.stringMatching(/^Reverse charge/), buyerTaxId: M.chfTaxId });
    // Net 30 by default.
    expect(Date.parse(m.dueAt) - Date.parse(m.issuedAt)).toBe(30 * 86_400_000);

    const { lines, csv } = await reconciliation(inv.id, await tok.chf());
    expect(lines.map((l) => l.amount).sort()).toEqual(expected.map((d) => d.toFixed(2)).sort());
    expect(lines.every((l) => l.fxRate === '0.95' && l.sourceCurrency === 'EUR')).toBe(true);
    expect(lines.find((l) => l.subscription.id === SUBS.s2)).toMatchObject({ quantity: '100', unitPrice: '0.095', amount: '9.50', sourceAmount: '10.00' });
    expect(sum(csvColumn(csv, 'amount')).toFixed(2)).toBe('44.74');
    expect(new Set(csvColumn(csv, 'fxRate'))).toEqual(new Set(['0.95']));
    expect(new Set(csvColumn(csv, 'currency'))).toEqual(new Set(['CHF']));
  });

  it('its USD customer gets a USD invoice: dated markup and price split the month, German VAT on top, its own terms', async () => {
    const [inv] = await invoicesOf(await tok.usd());
    const m = await money(inv.id, await tok.usd());
    const lic = (price: number, markup: string, days: number) => cents(new Dec(3).times(price).times(new Dec(1).plus(new Dec(markup).div(100))).times(days).div(31).times('1.08'));
    const expected = [lic(10, '10', 15), lic(12, '10', 4), lic(12, '20', 12), cents(new Dec(100).times('0.10').times('1.1').times('1.08'))];
    const subtotal = sum(expected.map((d) => d.toFixed(2)));
    const tax = cents(subtotal.times('0.19'));
    expect(m).toMatchObject({
      currency: 'USD',
      subtotal: { amount: subtotal.toFixed(2), currency: 'USD' },
      total: { amount: subtotal.plus(tax).toFixed(2), currency: 'USD' },
      fx: [{ from: 'EUR', to: 'USD', rate: '1.08' }],
      taxLines: [{ description: 'VAT 19 % (DE)', ratePercent: '19', base: { amount: subtotal.toFixed(2), currency: 'USD' }, amount: { amount: tax.toFixed(2), currency: 'USD' } }],
    });
    expect(Date.parse(m.dueAt) - Date.parse(m.issuedAt)).toBe(14 * 86_400_000);
    const { lines, csv } = await reconciliation(inv.id, await tok.usd());
    expect(lines.filter((l) => l.chargeType === 'LICENSE').map((l) => [l.usageFrom, l.usageTo])).toEqual([
      ['2026-10-01', '2026-10-15'],
      ['2026-10-16', '2026-10-19'],
      ['2026-10-20', '2026-10-31'],
    ]);
    expect(lines.map((l) => l.amount).sort()).toEqual(expected.map((d) => d.toFixed(2)).sort());
    expect(sum(csvColumn(csv, 'amount')).toFixed(2)).toBe(subtotal.toFixed(2));
    expect(new Set(csvColumn(csv, 'fxRate'))).toEqual(new Set(['1.08']));
  });

  it('same currency: no conversion, no rate needed; a French business customer is reverse charged, a German one pays 19 %', async () => {
    const fr = (await invoicesOf(await tok.chf())).find((i) => i.billTo.id === M.frCustomer);
    const m = await money(fr.id, await tok.chf());
    expect(m).toMatchObject({ currency: 'EUR', subtotal: { amount: '4.00' }, total: { amount: '4.00' }, fx: [], taxLines: [{ ratePercent: '0', amount: { amount: '0.00' } }] });
    const eur = await invoicesOf(await tok.eur());
    for (const i of eur) {
      // 50 × 0.10 = 5.00 EUR; 19 % = 0.95 (the vendor in IE sells to a German partner without a VAT number).
      expect(await money(i.id, await tok.eur())).toMatchObject({ currency: 'EUR', subtotal: { amount: '5.00' }, taxLines: [{ description: 'VAT 19 % (DE)', amount: { amount: '0.95' } }], total: { amount: '5.95' }, fx: [] });
    }
    const { csv } = await reconciliation(eur[0].id, await tok.eur());
    expect(csvColumn(csv, 'fxRate')).toEqual(['']);
  });
});

describe('after issue', () => {
  let usdInvoice: Json;
  let before: { header: Buffer; lines: Buffer[] };
  const raw = async (id: string) => {
    const db = s.billing.deps.models.invoices.db;
    const header = await db.collection('invoices').findOne({ _id: id as never });
    const lines = await db.collection('invoice_lines').find({ invoiceId: id }).sort({ _id: 1 }).toArray();
    return { header: Buffer.from(mongo.BSON.serialize(header!)), lines: lines.map((l) => Buffer.from(mongo.BSON.serialize(l))), doc: header!, lineDocs: lines };
  };

  beforeAll(async () => {
    [usdInvoice] = await invoicesOf(await tok.usd());
    usdInvoice = await money(usdInvoice.id, await tok.usd());
    const r = await raw(usdInvoice.id);
    before = { header: r.header, lines: r.lines };
    // The stored hash is that of the issued header and lines.
    const { contentHash: stored, ...header } = r.doc as Json;
    expect(contentHash(header, r.lineDocs as Json)).toBe(stored);
  });

  it('IssueCreditNote: per line with partial amounts, never more than is left, own numbers, idempotent; CREDITED when all is credited', async () => {
    const chf = await tok.chf();
    const { lines } = await reconciliation(usdInvoice.id, chf);
    const usage = lines.find((l) => l.chargeType === 'USAGE');
    const first = await s.op('IssueCreditNote', { input: { invoiceId: usdInvoice.id, reason: 'Outage 5 Oct', lines: [{ lineId: usage.id, amount: '1.00' }], idempotencyKey: 'cn-1' } }, chf);
    expect(first.errors).toBeUndefined();
    const cn1 = first.data.issueCreditNote.creditNote;
    // 1.00 net + 19 % VAT = 1.19.
    expect(cn1).toMatchObject({ number: expect.stringMatching(/^CN-.*-202611-0001$/), invoice: { id: usdInvoice.id }, total: { amount: '1.19', currency: 'USD' }, lines: [{ description: expect.any(String), amount: '1.00' }] });
    const again = await s.op('IssueCreditNote', { input: { invoiceId: usdInvoice.id, reason: 'Outage 5 Oct', lines: [{ lineId: usage.id, amount: '1.00' }], idempotencyKey: 'cn-1' } }, chf);
    expect(again.data.issueCreditNote.creditNote.id).toBe(cn1.id);
    // More than is left of the line: refused, nothing stored.
    const left = new Dec(usage.amount).minus(1);
    const over = await s.op('IssueCreditNote', { input: { invoiceId: usdInvoice.id, reason: 'x', lines: [{ lineId: usage.id, amount: left.plus('0.01').toFixed(2) }], idempotencyKey: 'cn-over' } }, chf);
    expect(errorCode(over)).toBe('BAD_USER_INPUT');
    expect(over.errors![0].message).toMatch(/left to credit/);
    // The customer may not issue one, another partner does not see the invoice.
    expect(errorCode(await s.op('IssueCreditNote', { input: { invoiceId: usdInvoice.id, reason: 'x', idempotencyKey: 'cn-c' } }, await tok.usd()))).toBe('FORBIDDEN');
    expect(errorCode(await s.op('IssueCreditNote', { input: { invoiceId: usdInvoice.id, reason: 'x', idempotencyKey: 'cn-o' } }, await tok.eur()))).toBe('NOT_FOUND');

    // The rest of the invoice: exactly the remaining total; the invoice is CREDITED.
    const rest = await s.op('IssueCreditNote', { input: { invoiceId: usdInvoice.id, reason: 'Wrong customer', idempotencyKey: 'cn-2' } }, chf);
    expect(rest.errors).toBeUndefined();
    expect(rest.data.issueCreditNote.creditNote.number).toMatch(/-0002$/);
    const after = await money(usdInvoice.id, await tok.usd());
    expect(after.status).toBe('CREDITED');
    expect(after.balance.amount).toBe('0.00');
    expect(sum(after.creditNotes.map((c: Json) => c.total.amount)).toFixed(2)).toBe(usdInvoice.total.amount);
    expect(errorCode(await s.op('IssueCreditNote', { input: { invoiceId: usdInvoice.id, reason: 'again', idempotencyKey: 'cn-3' } }, chf))).toBe('BAD_USER_INPUT');
    // The credit note has its own reconciliation lines.
    const csv = await s.gql('query ($id: ID!) { invoice(id: $id) { creditNotes { number subtotal { amount } reconciliationCsv } } }', { id: usdInvoice.id }, chf);
    for (const c of csv.data.invoice.creditNotes) {
      const rows = c.reconciliationCsv.trim().split('\r\n').slice(1);
      expect(sum(rows.map((r: string) => r.split(',').at(-2)!)).toFixed(2)).toBe(c.subtotal.amount);
    }
  });

  it('RecordPayment: partial payments add up, idempotent per key, never more than the balance; MarkInvoicePaid pays the rest', async () => {
    const eur = await tok.eur();
    const [inv] = await invoicesOf(await tok.eurCustomer());
    const pay = (amount: string, key: string, token = eur, currency = 'EUR') => s.op('RecordPayment', { invoiceId: inv.id, amount: { amount, currency }, receivedOn: '2026-11-16', idempotencyKey: key }, token);
    const p1 = await pay('2.00', 'p-1');
    expect(p1.errors).toBeUndefined();
    expect(p1.data.recordPayment.invoice).toEqual({ id: inv.id, status: 'ISSUED', balance: { amount: '3.95', currency: 'EUR' } });
    expect((await pay('2.00', 'p-1')).data.recordPayment.invoice.balance.amount).toBe('3.95');
    expect(errorCode(await pay('3.96', 'p-2'))).toBe('BAD_USER_INPUT');
    expect(errorCode(await pay('1.00', 'p-3', eur, 'USD'))).toBe('BAD_USER_INPUT');
    expect(errorCode(await pay('1.001', 'p-4'))).toBe('BAD_USER_INPUT');
    expect(errorCode(await pay('1.00', 'p-5', await tok.eurCustomer()))).toBe('FORBIDDEN');
    expect(errorCode(await pay('1.00', 'p-6', await tok.chf()))).toBe('NOT_FOUND');
    const p2 = await pay('1.95', 'p-7');
    expect(p2.data.recordPayment.invoice.balance.amount).toBe('2.00');
    const paid = await s.op('MarkInvoicePaid', { id: inv.id }, eur);
    expect(paid.data.markInvoicePaid.invoice).toEqual({ id: inv.id, status: 'PAID' });
    expect((await money(inv.id, eur)).balance.amount).toBe('0.00');
    expect(errorCode(await pay('0.01', 'p-8'))).toBe('BAD_USER_INPUT');
  });

  it('InvoiceSummaries per caller and currency; OVERDUE by the platform clock', async () => {
    const summaries = async (token: string) => {
      const r = await s.op('InvoiceSummaries', {}, token);
      expect(r.errors).toBeUndefined();
      return r.data.invoiceSummaries as Json[];
    };
    const chf = await summaries(await tok.chf());
    // It owes the vendor 44.74 CHF; its USD invoice is fully credited; its FR customer owes 4.00 EUR.
    expect(chf).toEqual([
      { currency: 'CHF', receivable: { amount: '0.00', currency: 'CHF' }, payable: { amount: '44.74', currency: 'CHF' }, overdue: { amount: '0.00', currency: 'CHF' }, invoiceCount: 1 },
      { currency: 'EUR', receivable: { amount: '4.00', currency: 'EUR' }, payable: { amount: '0.00', currency: 'EUR' }, overdue: { amount: '0.00', currency: 'EUR' }, invoiceCount: 1 },
      { currency: 'USD', receivable: { amount: '0.00', currency: 'USD' }, payable: { amount: '0.00', currency: 'USD' }, overdue: { amount: '0.00', currency: 'USD' }, invoiceCount: 1 },
    ]);
    const vendor = await summaries(op);
    expect(vendor.map((x) => [x.currency, x.receivable.amount, x.payable.amount, x.invoiceCount])).toEqual([
      ['CHF', '44.74', '0.00', 1],
      ['EUR', '5.95', '0.00', 1],
      ['GBP', '1.74', '0.00', 1],
    ]);
    expect(await summaries(await tok.eurCustomer())).toEqual([expect.objectContaining({ currency: 'EUR', payable: { amount: '0.00', currency: 'EUR' }, invoiceCount: 1 })]);

    // 30 days after issue the vendor's unpaid invoices are overdue (the month-end run of November may start meanwhile).
    await s.op('AdvanceClock', { to: '2026-12-17T12:00:00.000Z' }, op);
    const vendorInvoice = (await invoicesOf(await tok.chf())).find((i) => i.kind === 'VENDOR_TO_PARTNER');
    expect(vendorInvoice.status).toBe('OVERDUE');
    const later = await summaries(await tok.chf());
    expect(later.find((x) => x.currency === 'CHF').overdue.amount).toBe('44.74');
    expect((await invoicesOf(await tok.eurCustomer()))[0].status).toBe('PAID');
  });

  it('the issued invoice’s stored bytes never changed', async () => {
    const now = await raw(usdInvoice.id);
    expect(now.header.equals(before.header)).toBe(true);
    expect(now.lines.length).toBe(before.lines.length);
    expect(now.lines.every((l, i) => l.equals(before.lines[i]))).toBe(true);
  });
});
