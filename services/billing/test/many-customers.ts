import { seedWorld, subFact, W, waitForFacts, type BillingStack } from './billing-fixtures';

/**
 * The world of the invoice-worker process tests: the small world plus CUSTOMERS customers of the
 * direct provider, each with one usage subscription and two usage rows in each given month.
 */
export const CUSTOMERS = 5;
const customer = (i: number) => `cus_many${i}`;
const sub = (i: number) => `sub_many${i}`;

export async function seedManyCustomers(s: BillingStack, months: string[]): Promise<void> {
  const op = await s.operatorToken();
  await seedWorld(s);
  for (let i = 0; i < CUSTOMERS; i++) {
    await s.publish('customer.created', { customerId: customer(i), companyName: `Many ${i}`, domain: `m${i}.example`, country: 'DE', currency: 'EUR', partnerId: W.direct });
    await subFact(s, 'activated', { subscriptionId: sub(i), customerId: customer(i), partnerId: W.direct, offerId: W.azure, billingType: 'USAGE', quantity: 1, at: '2026-01-01T00:00:00.000Z' });
  }
  await waitForFacts(s, CUSTOMERS);
  const records = [];
  for (const month of months) {
    for (let i = 0; i < CUSTOMERS; i++) {
      records.push({ recordId: `${month}-${i}-a`, subscriptionId: sub(i), meterId: W.meter, quantity: `${60 + i}`, usageDate: `${month}-05` });
      records.push({ recordId: `${month}-${i}-b`, subscriptionId: sub(i), meterId: W.meter2, quantity: '10.5', usageDate: `${month}-06` });
    }
  }
  const r = await s.op('RecordUsage', { records }, op);
  expect(r.data.recordUsage.accepted).toBe(records.length);
}

/**
 * Every invoice of the month once per (kind, issuer, bill-to), with one number, its lines stored
 * once and summing to its total, announced once, and no draft lines left by a killed attempt.
 */
export async function expectEachInvoiceOnce(s: BillingStack, period: string) {
  const m = s.billing.deps.models;
  const invoices = await m.invoices.find({ period }).lean();
  // the vendor bills the direct provider once; the direct provider bills each customer once
  expect(invoices).toHaveLength(1 + CUSTOMERS);
  const keys = invoices.map((i) => `${i.kind}|${i.issuerId}|${i.billToId}`);
  expect(new Set(keys).size).toBe(keys.length);
  expect(new Set(invoices.map((i) => i.number)).size).toBe(invoices.length);
  for (const inv of invoices) {
    const lines = await m.lines.find({ invoiceId: inv._id }).lean();
    expect(lines).toHaveLength(inv.lineCount);
    expect(new Set(lines.map((l) => l.lineKey)).size).toBe(lines.length);
    const cents = lines.reduce((a, l) => a + BigInt(l.amount.replace('.', '')), 0n);
    expect(cents).toBe(BigInt(inv.total.replace('.', '')));
  }
  // Each issued invoice announced (invoice.issued) exactly once: its fact is keyed by its id.
  expect(await m.invoiceFacts.countDocuments({ _id: { $in: invoices.map((i) => i._id) } })).toBe(invoices.length);
  const issued = new Set(invoices.map((i) => i._id));
  const ofMonth = (await m.lines.find({}, { invoiceId: 1 }).lean()).filter((l) => l.invoiceId.startsWith(`inv_${period.replace('-', '')}_`));
  expect(ofMonth.filter((l) => !issued.has(l.invoiceId))).toEqual([]);
  return invoices;
}
