import { bullPrefix, eventQueueName } from '@csp/kernel';
import { errorCode } from '@csp/testkit';
import { Queue } from 'bullmq';
import { agreeMarkup, runMonth, seedWorld, startBillingStack, subFact, unbilled, W, waitFor, waitForFacts, type BillingStack } from './billing-fixtures';

/**
 * The three invoice kinds for one closed month, checked to the cent against figures worked
 * out by hand. World (market DE, EUR): rate card from 2026-01-01 for meter "compute":
 * 0.10 up to 100 units a month, 0.08 beyond; from 2026-10-16: 0.12 / 0.09. Office 365:
 * 10.00 per licence and month. October has 31 days. Rounding: once per line, half-even.
 */
let s: BillingStack;
let op: string;
const S1 = 'sub_lic_c1'; // C1 (direct), LICENSE
const S2 = 'sub_use_c1'; // C1 (direct), USAGE
const S3 = 'sub_use_c2'; // C2 via reseller, USAGE
const S4 = 'sub_lic_c2'; // C2 via reseller, LICENSE

const direct = { customerId: W.c1, partnerId: W.direct, billingType: 'USAGE' as const };
const viaReseller = { customerId: W.c2, partnerId: W.distributor, resellerId: W.reseller };

beforeAll(async () => {
  s = await startBillingStack('billinv', { BILLING_JOB_ATTEMPTS: '2' });
  op = await s.operatorToken();
  await s.startWorker();
  await seedWorld(s);
  await subFact(s, 'activated', { subscriptionId: S1, ...direct, offerId: W.o365, billingType: 'LICENSE', quantity: 10, at: '2026-10-01T08:00:00.000Z' });
  await subFact(s, 'quantityChanged', { subscriptionId: S1, ...direct, offerId: W.o365, billingType: 'LICENSE', quantity: 15, at: '2026-10-11T12:00:00.000Z' });
  await subFact(s, 'cancelled', { subscriptionId: S1, ...direct, offerId: W.o365, billingType: 'LICENSE', quantity: 15, at: '2026-10-21T09:00:00.000Z' });
  await subFact(s, 'activated', { subscriptionId: S2, ...direct, offerId: W.azure, quantity: 1, at: '2026-09-20T00:00:00.000Z' });
  await subFact(s, 'activated', { subscriptionId: S3, ...viaReseller, offerId: W.azure, billingType: 'USAGE', quantity: 1, at: '2026-09-01T00:00:00.000Z' });
  await subFact(s, 'activated', { subscriptionId: S4, ...viaReseller, offerId: W.o365, billingType: 'LICENSE', quantity: 3, at: '2026-10-16T10:00:00.000Z' });
  await waitForFacts(s, 6);
  // The markups the pricing test sets today were agreed from September on (never backwards: the API sets today or later).
  await agreeMarkup(s, `CUSTOMER|${W.direct}|${W.c1}`, '-5', '2026-09-01');
  await agreeMarkup(s, `CUSTOMER|${W.reseller}|${W.c2}`, '20', '2026-09-01');
  await agreeMarkup(s, `RESELLER|${W.distributor}|${W.reseller}`, '10', '2026-09-01');
}, 60_000);
afterAll(() => s?.stop());

const usage = (recordId: string, subscriptionId: string, quantity: string, usageDate: string, meterId = W.meter) => ({ recordId, subscriptionId, meterId, quantity, usageDate });

async function invoicesOf(token: string, period: string) {
  const r = await s.op('Invoices', { first: 50, period }, token);
  expect(r.errors).toBeUndefined();
  return r.data.invoices.edges.map((e: { node: any }) => e.node); // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function linesOf(token: string, id: string) {
  const lines: any[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  let after: string | undefined;
  let csv = '';
  for (;;) {
    const r = await s.op('InvoiceReconciliation', { id, first: 2, after }, token);
    expect(r.errors).toBeUndefined();
    const li = r.data.invoice.lineItems;
    lines.push(...li.edges.map((e: { node: unknown }) => e.node));
    csv = r.data.invoice.reconciliationCsv;
    if (!li.pageInfo.hasNextPage) break;
    after = li.pageInfo.endCursor;
  }
  return { lines, csv };
}

/** S4's licences of the current month so far, in cents: 3 × price × (1st to today) / days in month. */
async function accruedCents(priceCents: number): Promise<number> {
  const now = new Date(Date.parse((await s.op('Clock')).data.clock.now));
  const dim = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).getUTCDate();
  return Math.round((3 * priceCents * now.getUTCDate()) / dim); // a tie would need half-even; none with these prices
}

/** One RFC 4180 row: quoted cells may hold commas and doubled quotes. */
function parseCsvRow(row: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < row.length; i++) {
    const ch = row[i];
    if (quoted) {
      if (ch === '"' && row[i + 1] === '"') (cur += '"'), i++;
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') out.push(cur), (cur = '');
    else cur += ch;
  }
  out.push(cur);
  return out;
}

const tokens = {
  direct: () => s.mint({ userId: 'usr_d', kind: 'PARTNER_USER', partnerId: W.direct }),
  distributor: () => s.mint({ userId: 'usr_dis', kind: 'PARTNER_USER', partnerId: W.distributor }),
  reseller: () => s.mint({ userId: 'usr_r', kind: 'PARTNER_USER', partnerId: W.reseller }),
  other: () => s.mint({ userId: 'usr_o', kind: 'PARTNER_USER', partnerId: W.other }),
  c1: () => s.mint({ userId: 'usr_c1', kind: 'CUSTOMER_USER', customerId: W.c1 }),
  c2: () => s.mint({ userId: 'usr_c2', kind: 'CUSTOMER_USER', customerId: W.c2 }),
};

describe('pricing', () => {
  it('the selling partner sets a customer markup; a distributor its reseller markup; others get NOT_FOUND', async () => {
    const r1 = await s.op('SetCustomerPricing', { customerId: W.c1, markupPercent: '-5' }, await tokens.direct());
    expect(r1.errors).toBeUndefined();
    expect(r1.data.setCustomerPricing).toEqual({ customerId: W.c1, markupPercent: '-5' });
    const r2 = await s.op('SetCustomerPricing', { customerId: W.c2, markupPercent: '20' }, await tokens.reseller());
    expect(r2.data.setCustomerPricing.markupPercent).toBe('20');
    const r3 = await s.op('SetResellerPricing', { resellerId: W.reseller, markupPercent: '10.0' }, await tokens.distributor());
    expect(r3.data.setResellerPricing).toEqual({ resellerId: W.reseller, markupPercent: '10' });

    expect(errorCode(await s.op('SetCustomerPricing', { customerId: W.c1, markupPercent: '50' }, await tokens.other()))).toBe('NOT_FOUND');
    expect(errorCode(await s.op('SetResellerPricing', { resellerId: W.reseller, markupPercent: '1' }, await tokens.direct()))).toBe('NOT_FOUND');
    expect(errorCode(await s.op('SetCustomerPricing', { customerId: W.c1, markupPercent: '-101' }, await tokens.direct()))).toBe('BAD_USER_INPUT');
    expect(errorCode(await s.op('SetCustomerPricing', { customerId: W.c1, markupPercent: '1' }, op))).toBe('FORBIDDEN');
  });
});

describe('invoice runs', () => {
  it('rejects months that are not closed or not months', async () => {
    for (const period of ['2026-13', '2026-11', '2027-01', 'Oct']) {
      expect(errorCode(await s.op('StartInvoiceRun', { period }, op))).toBe('BAD_USER_INPUT');
    }
    expect(errorCode(await s.op('StartInvoiceRun', { period: '2026-09' }, await tokens.direct()))).toBe('FORBIDDEN');
  });

  it('September: 5 units on S2 → vendor 0.50 to the direct provider, 0.48 to its customer', async () => {
    const r = await s.op('RecordUsage', { records: [usage('sep-1', S2, '5', '2026-09-25')] }, op);
    expect(r.data.recordUsage).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    const run = await runMonth(s, '2026-09');
    expect(run).toMatchObject({ status: 'COMPLETED', progress: 100, invoicesCreated: 2 });
    const vendor = (await invoicesOf(op, '2026-09')).filter((i: { kind: string }) => i.kind === 'VENDOR_TO_PARTNER');
    expect(vendor).toHaveLength(1);
    // 5 × 0.10 = 0.50
    expect(vendor[0]).toMatchObject({ kind: 'VENDOR_TO_PARTNER', billTo: { id: W.direct, name: 'Direct One GmbH' }, billFrom: { id: 'vendor' }, total: { amount: '0.50', currency: 'EUR' } });
    const c1 = await invoicesOf(await tokens.c1(), '2026-09');
    // 5 × 0.10 × 0.95 = 0.475 → 0.48 (half-even: 7 is odd, rounds up)
    expect(c1.map((i: { total: unknown }) => i.total)).toEqual([{ amount: '0.48', currency: 'EUR' }]);
  });

  it('October usage and a late September record: unbilled charges live, at each caller’s price', async () => {
    const r = await s.op(
      'RecordUsage',
      {
        records: [
          usage('oct-1', S2, '60', '2026-10-03'),
          usage('oct-2', S2, '60', '2026-10-10'), // crosses 100 inside the month
          usage('oct-3', S2, '30', '2026-10-20'), // after the mid-month rate card change
          usage('oct-4', S3, '50.5', '2026-10-05'),
          usage('oct-5', S3, '70', '2026-10-17'), // new card, crosses 100
          usage('sep-2', S2, '2', '2026-09-28'), // September is invoiced already: goes into October's invoice
        ],
      },
      op,
    );
    expect(r.data.recordUsage).toEqual({ accepted: 6, duplicates: 0, rejected: [] });
    // S2 at vendor prices: 100×0.10 + 20×0.08 + 30×0.09 + late 2×0.10 = 10.00 + 1.60 + 2.70 + 0.20 = 14.50
    expect(await unbilled(s, op, S2)).toEqual([{ amount: '14.50', currency: 'EUR' }]);
    expect(await unbilled(s, await tokens.direct(), S2)).toEqual([{ amount: '14.50', currency: 'EUR' }]);
    // Customer One pays 95 %: 9.50 + 1.52 + 2.565→2.56 + 0.19 = 13.77
    expect(await unbilled(s, await tokens.c1(), S2)).toEqual([{ amount: '13.77', currency: 'EUR' }]);
    // Not theirs: null
    expect(await unbilled(s, await tokens.other(), S2)).toEqual([null]);
    expect(await unbilled(s, await tokens.c2(), S2)).toEqual([null]);
    // S1 is cancelled on 2026-10-21 but its October licences stay payable: 32.26 + 48.39
    expect(await unbilled(s, op, S1)).toEqual([{ amount: '80.65', currency: 'EUR' }]);

    // Per customer and per partner (as the gateway asks billing for these entity fields).
    const q = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Customer { unbilledCharges { amount currency } } ... on Partner { unbilledCharges { amount currency } } } }`;
    const totals = async (token: string, __typename: string, id: string) => (await s.subgraph(q, { reps: [{ __typename, id }] }, token)).data._entities[0].unbilledCharges;
    // Customer One: S1 80.65 + S2 14.50 at vendor prices; at its own price 30.65 + 45.97 + 13.77
    expect(await totals(op, 'Customer', W.c1)).toEqual([{ amount: '95.15', currency: 'EUR' }]);
    expect(await totals(await tokens.c1(), 'Customer', W.c1)).toEqual([{ amount: '90.39', currency: 'EUR' }]);
    // The distributor owes S3 + S4 at vendor prices (5.05 + 5.94 + 1.84 + 15.48) plus S4's licences of
    // the current month so far; the reseller at +10 % (5.56 + 6.53 + 2.03 + 17.03) plus the same at 11.00.
    const eur = (cents: number) => [{ amount: (cents / 100).toFixed(2), currency: 'EUR' }];
    expect(await totals(await tokens.distributor(), 'Partner', W.distributor)).toEqual(eur(2831 + (await accruedCents(1000))));
    expect(await totals(op, 'Partner', W.reseller)).toEqual(eur(3115 + (await accruedCents(1100))));
    expect(await totals(await tokens.other(), 'Partner', W.distributor)).toEqual([]);
  });

  it('October: the three invoice kinds, to the cent', async () => {
    const run = await runMonth(s, '2026-10');
    // vendor→direct, vendor→distributor, distributor→reseller, direct→C1, reseller→C2
    expect(run).toMatchObject({ status: 'COMPLETED', progress: 100, invoicesCreated: 5 });

    // Vendor → direct provider (S1 + S2, vendor prices):
    //   S1 licences: 10 × 10.00 × 10/31 = 32.258… → 32.26 (1–10 Oct); 15 × 10.00 × 10/31 = 48.387… → 48.39 (11–20 Oct;
    //   cancelled on the 21st, which is not charged)
    //   S2 usage: old card tier 0: 100 × 0.10 = 10.00; old card tier 100: 20 × 0.08 = 1.60; new card tier 100: 30 × 0.09 = 2.70
    //   late September usage (its tier continues after the 5 units billed): 2 × 0.10 = 0.20
    //   total 95.15
    // The operator reads every invoice of the month; the vendor's own are these two.
    expect(await invoicesOf(op, '2026-10')).toHaveLength(5);
    const vendor = (await invoicesOf(op, '2026-10')).filter((i: { kind: string }) => i.kind === 'VENDOR_TO_PARTNER');
    const vDirect = vendor.find((i: { billTo: { id: string } }) => i.billTo.id === W.direct);
    expect(vDirect).toMatchObject({ kind: 'VENDOR_TO_PARTNER', currency: 'EUR', subtotal: { amount: '95.15', currency: 'EUR' }, total: { amount: '95.15', currency: 'EUR' }, status: 'ISSUED' });
    expect(vDirect.number).toMatch(/^INV-VENDOR-202610-\d{4}$/);
    // Vendor → distributor (S3 + S4):
    //   S3: old card tier 0: 50.5 × 0.10 = 5.05; new card tier 0: 49.5 × 0.12 = 5.94; new card tier 100: 20.5 × 0.09 = 1.845 → 1.84
    //   S4: 3 × 10.00 × 16/31 = 15.483… → 15.48 (activated 16 Oct, 16 days)
    //   total 28.31
    const vDistri = vendor.find((i: { billTo: { id: string } }) => i.billTo.id === W.distributor);
    expect(vDistri.total).toEqual({ amount: '28.31', currency: 'EUR' });
    expect(vendor).toHaveLength(2);

    // Distributor → reseller at vendor × 1.10:
    //   50.5 × 0.11 = 5.555 → 5.56; 49.5 × 0.132 = 6.534 → 6.53; 20.5 × 0.099 = 2.0295 → 2.03; 3 × 11.00 × 16/31 = 17.032… → 17.03
    //   total 31.15
    const distri = await invoicesOf(await tokens.distributor(), '2026-10');
    const d2r = distri.find((i: { kind: string }) => i.kind === 'DISTRIBUTOR_TO_RESELLER');
    expect(d2r).toMatchObject({ billFrom: { id: W.distributor, name: 'Distri AG' }, billTo: { id: W.reseller, name: 'Reseller KG' }, total: { amount: '31.15', currency: 'EUR' } });
    expect(distri).toHaveLength(2); // received from the vendor, issued to the reseller

    // Direct provider → Customer One at vendor × 0.95:
    //   30.645… → 30.65; 45.967… → 45.97; 100 × 0.095 = 9.50; 20 × 0.076 = 1.52; 30 × 0.0855 = 2.565 → 2.56; 2 × 0.095 = 0.19
    //   total 90.39
    const c1 = await invoicesOf(await tokens.c1(), '2026-10');
    expect(c1).toHaveLength(1);
    expect(c1[0]).toMatchObject({ kind: 'PARTNER_TO_CUSTOMER', billFrom: { id: W.direct }, billTo: { id: W.c1, name: 'Customer One' }, total: { amount: '90.39', currency: 'EUR' } });

    // Reseller → Customer Two at vendor × 1.10 × 1.20 = × 1.32:
    //   50.5 × 0.132 = 6.666 → 6.67; 49.5 × 0.1584 = 7.8408 → 7.84; 20.5 × 0.1188 = 2.4354 → 2.44; 3 × 13.20 × 16/31 = 20.438… → 20.44
    //   total 37.39
    const c2 = await invoicesOf(await tokens.c2(), '2026-10');
    expect(c2.map((i: { total: unknown }) => i.total)).toEqual([{ amount: '37.39', currency: 'EUR' }]);
    const reseller = await invoicesOf(await tokens.reseller(), '2026-10');
    expect(reseller.map((i: { kind: string }) => i.kind).sort()).toEqual(['DISTRIBUTOR_TO_RESELLER', 'PARTNER_TO_CUSTOMER']);

    // October is billed now; S4 (still active) accrues this month's licences day by day up to today.
    const s4 = await accruedCents(1000);
    expect(await unbilled(s, op, S1, S2, S3, S4)).toEqual([
      { amount: '0.00', currency: 'EUR' },
      { amount: '0.00', currency: 'EUR' },
      { amount: '0.00', currency: 'EUR' },
      { amount: (s4 / 100).toFixed(2), currency: 'EUR' },
    ]);
  });

  it('announces every issued invoice once (invoice.issued: issuer and bill-to, for support)', async () => {
    const m = s.billing.deps.models;
    const invoices = await m.invoices.find({ period: '2026-10' }).lean();
    const q = new Queue(eventQueueName('support'), { connection: s.billing.rt.redis, prefix: bullPrefix(s.env.REDIS_PREFIX!) });
    try {
      for (const inv of invoices) {
        const job = await waitFor(`invoice.issued for ${inv.number}`, () => q.getJob(`invoice-issued-${inv._id}`));
        expect(job.data.payload).toMatchObject({ invoiceId: inv._id, number: inv.number, issuerId: inv.issuerId, billToId: inv.billToId });
      }
    } finally {
      await q.close();
    }
    expect(await m.invoiceFacts.countDocuments({ _id: { $in: invoices.map((i) => i._id) } })).toBe(invoices.length);
  });

  it('lines: proration segments, tiers and rate cards, paged; the CSV holds the same lines; they sum to the subtotal', async () => {
    const [vDirect] = (await invoicesOf(op, '2026-10')).filter((i: { billTo: { id: string } }) => i.billTo.id === W.direct);
    const { lines, csv } = await linesOf(op, vDirect.id);
    expect(lines.map((l) => [l.subscription.id, l.chargeType, l.meterId, l.quantity, l.unitPrice, l.amount, l.usageFrom, l.usageTo])).toEqual(
      expect.arrayContaining([
        [S1, 'LICENSE', null, '10', '10', '32.26', '2026-10-01', '2026-10-10'],
        [S1, 'LICENSE', null, '15', '10', '48.39', '2026-10-11', '2026-10-20'],
        [S2, 'USAGE', W.meter, '100', '0.1', '10.00', '2026-10-03', '2026-10-10'],
        [S2, 'USAGE', W.meter, '20', '0.08', '1.60', '2026-10-10', '2026-10-10'],
        [S2, 'USAGE', W.meter, '30', '0.09', '2.70', '2026-10-20', '2026-10-20'],
        [S2, 'USAGE', W.meter, '2', '0.1', '0.20', '2026-09-28', '2026-09-28'],
      ]),
    );
    expect(lines).toHaveLength(6);
    expect(lines.every((l) => l.customer.id === W.c1)).toBe(true);
    const sumCents = lines.reduce((a, l) => a + BigInt(l.amount.replace('.', '')), 0n);
    expect(sumCents).toBe(9515n);

    const rows = csv.trim().split('\r\n');
    expect(rows[0]).toBe('invoiceNumber,customerId,subscriptionId,chargeType,description,meterId,quantity,unitPrice,amount,currency,usageFrom,usageTo,fxRate,sourceCurrency,sourceAmount');
    expect(rows).toHaveLength(7);
    const parsed = rows.slice(1).map(parseCsvRow);
    // Same currency as the market: no conversion, the rate columns stay empty.
    expect(parsed.every((r) => r.length === 15 && r[0] === vDirect.number && r[9] === 'EUR' && r.slice(12).join('') === '')).toBe(true);
    expect(parsed.map((r) => [r[2], r[3], r[4], r[6], r[7], r[8], r[10], r[11]])).toEqual(
      lines.map((l) => [l.subscription.id, l.chargeType, l.description, l.quantity, l.unitPrice, l.amount, l.usageFrom, l.usageTo]),
    );
  });

  it('a second start of the same month returns the same run and creates nothing new', async () => {
    const before = (await invoicesOf(op, '2026-10')).length;
    const first = await s.op('StartInvoiceRun', { period: '2026-10' }, op);
    const again = await s.op('StartInvoiceRun', { period: '2026-10' }, op);
    expect(again.data.startInvoiceRun.run.id).toBe(first.data.startInvoiceRun.run.id);
    await new Promise((r) => setTimeout(r, 500));
    expect(await s.billing.deps.models.invoices.countDocuments({ period: '2026-10' })).toBe(5);
    expect((await invoicesOf(op, '2026-10')).length).toBe(before);
  });

  it('a partner cannot read, pay or list another partner’s invoice (NOT_FOUND)', async () => {
    const [vDirect] = (await invoicesOf(op, '2026-10')).filter((i: { billTo: { id: string } }) => i.billTo.id === W.direct);
    const other = await tokens.other();
    expect(errorCode(await s.op('InvoiceReconciliation', { id: vDirect.id }, other))).toBe('NOT_FOUND');
    expect(errorCode(await s.op('InvoiceReconciliation', { id: vDirect.id }, await tokens.distributor()))).toBe('NOT_FOUND');
    expect(errorCode(await s.op('MarkInvoicePaid', { id: vDirect.id }, other))).toBe('NOT_FOUND');
    expect((await s.op('Invoices', {}, other)).data.invoices.totalCount).toBe(0);
    expect(errorCode(await s.op('InvoiceReconciliation', { id: 'inv_nope' }, op))).toBe('NOT_FOUND');
    expect(errorCode(await s.op('Invoices', {}))).toBe('UNAUTHENTICATED');
  });

  it('the issuer marks an invoice paid; the receiver cannot', async () => {
    const [vDirect] = (await invoicesOf(op, '2026-10')).filter((i: { billTo: { id: string } }) => i.billTo.id === W.direct);
    expect(errorCode(await s.op('MarkInvoicePaid', { id: vDirect.id }, await tokens.direct()))).toBe('FORBIDDEN');
    const r = await s.op('MarkInvoicePaid', { id: vDirect.id }, op);
    expect(r.data.markInvoicePaid.invoice).toEqual({ id: vDirect.id, status: 'PAID' });
    const [c1] = await invoicesOf(await tokens.c1(), '2026-10');
    const paid = await s.op('MarkInvoicePaid', { id: c1.id }, await tokens.direct());
    expect(paid.data.markInvoicePaid.invoice.status).toBe('PAID');
    // Paging invoices: the operator's list holds September's 2 and October's 5.
    const page1 = await s.op('Invoices', { first: 1 }, op);
    expect(page1.data.invoices.totalCount).toBe(7);
    const page2 = await s.op('Invoices', { first: 5, after: page1.data.invoices.pageInfo.endCursor }, op);
    expect(page2.data.invoices.edges).toHaveLength(5);
    expect(page2.data.invoices.pageInfo.hasNextPage).toBe(true);
    const ids = [page1, page2].flatMap((p) => p.data.invoices.edges.map((e: { node: { id: string } }) => e.node.id));
    expect(new Set(ids).size).toBe(6);
  });

  it('Customer.invoices shows the customer its invoices (as the gateway asks the billing subgraph)', async () => {
    const q = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Customer { id invoices(first: 10) { edges { node { id number total { amount currency } status } } } } } }`;
    const r = await s.subgraph(q, { reps: [{ __typename: 'Customer', id: W.c2 }] }, await tokens.c2());
    expect(r.errors).toBeUndefined();
    expect(r.data._entities[0].invoices.edges.map((e: { node: { total: unknown } }) => e.node.total)).toEqual([{ amount: '37.39', currency: 'EUR' }]);
    const foreign = await s.subgraph(q, { reps: [{ __typename: 'Customer', id: W.c2 }] }, await tokens.c1());
    expect(foreign.data._entities[0].invoices.edges).toEqual([]);
  });

  it('the run and its progress are the operator’s', async () => {
    const first = await s.op('StartInvoiceRun', { period: '2026-10' }, op);
    const id = first.data.startInvoiceRun.run.id;
    expect(errorCode(await s.op('InvoiceRun', { id }, await tokens.direct()))).toBe('FORBIDDEN');
    expect(errorCode(await s.op('InvoiceRun', { id: 'run_nope' }, op))).toBe('NOT_FOUND');
    const r = await s.op('InvoiceRun', { id }, op);
    expect(r.data.invoiceRun).toEqual({ id, period: '2026-10', status: 'COMPLETED', progress: 100, invoicesCreated: 5, failedReason: null });
  });

  it('a bill-to that cannot be priced fails the run, with the reason', async () => {
    // A LICENSE offer the catalog published without a price in DE.
    await s.publish('offer.published', { offerId: 'off_noprice', name: 'No price', family: 'OFFICE_365', billingType: 'LICENSE', minQuantity: 1, maxQuantity: 10, prices: [] });
    await subFact(s, 'activated', { subscriptionId: 'sub_noprice', ...direct, offerId: 'off_noprice', billingType: 'LICENSE', quantity: 1, at: '2026-08-10T00:00:00.000Z' });
    await waitForFacts(s, 7);
    const started = await s.op('StartInvoiceRun', { period: '2026-08' }, op);
    const id = started.data.startInvoiceRun.run.id;
    const failed = await waitFor('run failed', async () => {
      const r = (await s.op('InvoiceRun', { id }, op)).data.invoiceRun;
      return r.status === 'FAILED' && r;
    }, 20_000);
    expect(failed.failedReason).toMatch(/off_noprice has no price in market DE/);
    expect(failed.progress).toBeLessThan(100);
    expect(failed.invoicesCreated).toBe(0);
    // Its licences of the current month have no figure (rather than a wrong one); the others still show theirs.
    expect(await unbilled(s, op, 'sub_noprice', S2)).toEqual([null, { amount: '0.00', currency: 'EUR' }]);
  });
});
