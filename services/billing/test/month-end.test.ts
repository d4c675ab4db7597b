import { seedWorld, spawnWorker, startBillingStack, subFact, unbilled, W, waitFor, waitForFacts, type BillingStack, type WorkerProcess } from './billing-fixtures';

/**
 * The platform test clock drives the monthly run: a jump over a month end, with two invoice
 * worker processes running, invoices that month exactly once. Usage that arrives for a month
 * already invoiced goes into the next month's invoice with its real usage date.
 */
let s: BillingStack;
let op: string;
const procs: WorkerProcess[] = [];
const SUB = 'sub_monthend';

beforeAll(async () => {
  s = await startBillingStack('billclock');
  op = await s.operatorToken();
  await seedWorld(s);
  const now = new Date(Date.parse((await s.op('Clock')).data.clock.now));
  // Activated on the 1st of the current month (the test starts in a month that has not ended).
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  await subFact(s, 'activated', { subscriptionId: SUB, customerId: W.c1, partnerId: W.direct, offerId: W.azure, billingType: 'USAGE', quantity: 1, at: first.toISOString() });
  await waitForFacts(s, 1);
  // A run's cutoff lies 3 s after its start: usage reported right at the month end still counts.
  const settle = { BILLING_RUN_SETTLE_MS: '3000' };
  procs.push(await spawnWorker(s, settle), await spawnWorker(s, settle));
}, 60_000);

afterAll(async () => {
  for (const p of procs) if (p.proc.exitCode === null) p.proc.kill('SIGKILL');
  await s?.stop();
});

const period = (t: Date) => t.toISOString().slice(0, 7);
const monthAfter = (t: Date, n = 1) => new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + n, 1, 0, 0, 5));

async function invoicesOf(p: string) {
  const r = await s.op('Invoices', { first: 50, period: p }, op);
  return (r.data.invoices.edges.map((e: { node: unknown }) => e.node) as Array<{ id: string; kind: string; total: { amount: string } }>).filter((i) => i.kind === 'VENDOR_TO_PARTNER');
}

it('a jump over a month end invoices that month exactly once with two workers running', async () => {
  const now = new Date(Date.parse((await s.op('Clock')).data.clock.now));
  const month = period(now);
  const r = await s.op('RecordUsage', { records: [{ recordId: 'me-1', subscriptionId: SUB, meterId: W.meter, quantity: '40', usageDate: `${month}-01` }] }, op);
  expect(r.data.recordUsage.accepted).toBe(1);

  const to = monthAfter(now);
  const adv = await s.op('AdvanceClock', { to: to.toISOString() }, op);
  expect(adv.errors).toBeUndefined();
  // The connector reports the month's last day just after midnight: within the run's settle time.
  const lastDay = new Date(to.getTime() - 86_400_000).toISOString().slice(0, 10);
  const last = await s.op('RecordUsage', { records: [{ recordId: 'me-last', subscriptionId: SUB, meterId: W.meter, quantity: '10', usageDate: lastDay }] }, op);
  expect(last.data.recordUsage.accepted).toBe(1);

  const m = s.billing.deps.models;
  const run = await waitFor('month-end run', () => m.runs.findOne({ period: month }).lean(), 20_000);
  await waitFor('run completed', async () => (await s.op('InvoiceRun', { id: run._id }, op)).data.invoiceRun.status === 'COMPLETED', 30_000);
  // Both workers saw the jump; give a second trigger every chance to show up.
  await new Promise((res) => setTimeout(res, 1500));
  expect(await m.runs.countDocuments()).toBe(1);
  // vendor → direct provider and direct provider → customer: (40 + 10) × 0.12 (card in force since 2026-10-16) = 6.00
  const vendor = await invoicesOf(month);
  expect(vendor.map((i) => i.total.amount)).toEqual(['6.00']);
  expect(await m.invoices.countDocuments({ period: month })).toBe(2);
}, 60_000);

it('usage that arrives for the invoiced month goes into the next month’s invoice, with its real date', async () => {
  const now = new Date(Date.parse((await s.op('Clock')).data.clock.now));
  const closed = period(new Date(now.getTime() - 86_400_000));
  const lateDay = `${closed}-02`;
  const r = await s.op('RecordUsage', { records: [{ recordId: 'me-late', subscriptionId: SUB, meterId: W.meter, quantity: '70', usageDate: lateDay }] }, op);
  expect(r.data.recordUsage).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
  // Its tiers continue after the 50 units billed: 50 × 0.12 + 20 × 0.09 = 6.00 + 1.80 = 7.80
  expect(await unbilled(s, op, SUB)).toEqual([{ amount: '7.80', currency: 'EUR' }]);

  const to = monthAfter(now);
  await s.op('AdvanceClock', { to: to.toISOString() }, op);
  const next = period(now);
  const m = s.billing.deps.models;
  const run = await waitFor('next run', () => m.runs.findOne({ period: next }).lean(), 20_000);
  await waitFor('run completed', async () => (await s.op('InvoiceRun', { id: run._id }, op)).data.invoiceRun.status === 'COMPLETED', 30_000);
  const [inv] = await invoicesOf(next);
  expect(inv.total.amount).toBe('7.80');
  const lines = (await s.op('InvoiceReconciliation', { id: inv.id, first: 10 }, op)).data.invoice.lineItems.edges.map((e: { node: any }) => e.node); // eslint-disable-line @typescript-eslint/no-explicit-any
  expect(lines.map((l: { usageFrom: string; amount: string }) => [l.usageFrom, l.amount]).sort()).toEqual([
    [lateDay, '1.80'],
    [lateDay, '6.00'],
  ]);
  expect(await unbilled(s, op, SUB)).toEqual([{ amount: '0.00', currency: 'EUR' }]);
  expect(await m.runs.countDocuments()).toBe(2);
}, 60_000);

it('a jump over two month ends invoices each month once, with its own usage only', async () => {
  const now = new Date(Date.parse((await s.op('Clock')).data.clock.now));
  const first = period(now);
  const r = await s.op('RecordUsage', { records: [{ recordId: 'me-jump', subscriptionId: SUB, meterId: W.meter, quantity: '5', usageDate: `${first}-01` }] }, op);
  expect(r.data.recordUsage.accepted).toBe(1);
  const to = monthAfter(now, 2);
  await s.op('AdvanceClock', { to: to.toISOString() }, op);
  const second = period(new Date(to.getTime() - 86_400_000));
  const m = s.billing.deps.models;
  for (const p of [first, second]) {
    const run = await waitFor(`run ${p}`, () => m.runs.findOne({ period: p }).lean(), 20_000);
    await waitFor(`run ${p} completed`, async () => (await s.op('InvoiceRun', { id: run._id }, op)).data.invoiceRun.status === 'COMPLETED', 30_000);
  }
  // 5 × 0.12 = 0.60 in the first month; nothing used in the second, so no invoice for it.
  expect((await invoicesOf(first)).map((i) => i.total.amount)).toEqual(['0.60']);
  expect(await m.invoices.countDocuments({ period: second })).toBe(0);
  expect(await m.runs.countDocuments()).toBe(4);
}, 60_000);

it('a month end passed while the workers were down and Redis was flushed is invoiced once when they come back', async () => {
  const now = new Date(Date.parse((await s.op('Clock')).data.clock.now));
  const month = period(now);
  const r = await s.op('RecordUsage', { records: [{ recordId: 'me-flush', subscriptionId: SUB, meterId: W.meter, quantity: '25', usageDate: `${month}-01` }] }, op);
  expect(r.data.recordUsage.accepted).toBe(1);
  const m = s.billing.deps.models;
  const runsBefore = await m.runs.countDocuments();

  // Both workers go down; nobody watches the calendar while the month ends.
  for (const p of procs.splice(0)) {
    p.proc.kill('SIGTERM');
    await p.exited;
  }
  await s.op('AdvanceClock', { to: monthAfter(now).toISOString() }, op);
  // Redis replaced: every key of this deployment gone — queues, job ids, locks, invoice number
  // sequences. The test clock stays: it stands in for the real time, which no flush resets.
  const redis = s.identity.rt.redis;
  const prefix = s.env.REDIS_PREFIX!;
  let flushed = 0;
  for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 500 })) {
    const gone = (keys as string[]).filter((k) => !k.startsWith(`${prefix}:clock:`));
    if (gone.length) flushed += await redis.del(...gone);
  }
  expect(flushed).toBeGreaterThan(0);
  expect(await m.runs.countDocuments({ period: month })).toBe(0);

  procs.push(await spawnWorker(s), await spawnWorker(s));
  const run = await waitFor('the missed run', () => m.runs.findOne({ period: month }).lean(), 20_000);
  await waitFor('missed run completed', async () => (await s.op('InvoiceRun', { id: run._id }, op)).data.invoiceRun.status === 'COMPLETED', 30_000);
  // 25 × 0.12 = 3.00, once; and a further restart owes nothing more.
  expect((await invoicesOf(month)).map((i) => i.total.amount)).toEqual(['3.00']);
  for (const p of procs.splice(0)) {
    p.proc.kill('SIGTERM');
    await p.exited;
  }
  // A worker is ready only after its time trigger has looked at the calendar once.
  procs.push(await spawnWorker(s));
  expect(await m.runs.countDocuments()).toBe(runsBefore + 1);
  expect(await m.invoices.countDocuments({ period: month })).toBe(2);
}, 90_000);
