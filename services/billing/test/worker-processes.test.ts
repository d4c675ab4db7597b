import { runMonth, spawnWorker, startBillingStack, waitFor, type BillingStack, type WorkerProcess } from './billing-fixtures';
import { CUSTOMERS, expectEachInvoiceOnce, seedManyCustomers } from './many-customers';

/**
 * The invoice worker as its own process (services/billing/dist/worker.js; build it first with
 * `npx tsc -b services/billing`): killed with SIGKILL in the middle of a run and restarted, and
 * two of them side by side. Each bill-to must end with exactly one invoice and no line twice.
 */
let s: BillingStack;
let op: string;
const procs: WorkerProcess[] = [];

// Short job locks so a killed worker's job is taken over within seconds; a pause between writing
// an invoice's lines and issuing it, so the kill lands with draft lines on the store.
const WORKER_ENV = { BILLING_JOB_LOCK_MS: '2000', BILLING_TEST_BILL_DELAY_MS: '400', BILLING_WORKER_CONCURRENCY: '1' };

beforeAll(async () => {
  s = await startBillingStack('billproc');
  op = await s.operatorToken();
  await seedManyCustomers(s, ['2026-07', '2026-08']);
}, 60_000);

afterAll(async () => {
  for (const p of procs) if (p.proc.exitCode === null) p.proc.kill('SIGKILL');
  await s?.stop();
});

const expectExactlyOnce = (period: string) => expectEachInvoiceOnce(s, period);

it('a worker killed with SIGKILL mid-run and restarted leaves exactly one invoice per bill-to', async () => {
  const first = await spawnWorker(s, WORKER_ENV);
  procs.push(first);
  const started = await s.op('StartInvoiceRun', { period: '2026-07' }, op);
  const id = started.data.startInvoiceRun.run.id;
  // Kill it once some, not all, bill-tos are done — while it holds a job whose lines are written
  // but whose invoice is not issued yet (draft lines on the store).
  const m = s.billing.deps.models;
  await waitFor('run under way, an invoice half written', async () => {
    const r = (await s.op('InvoiceRun', { id }, op)).data.invoiceRun;
    if (!(r.progress > 0 && r.progress < 100 && r.status === 'RUNNING')) return false;
    const issued = new Set((await m.invoices.find({}, { _id: 1 }).lean()).map((i) => i._id));
    const drafts = (await m.lines.find({}, { invoiceId: 1 }).lean()).filter((l) => !issued.has(l.invoiceId));
    if (!drafts.length) return false;
    first.proc.kill('SIGKILL');
    return true;
  }, 30_000);
  await first.exited;
  const issuedNow = new Set((await m.invoices.find({}, { _id: 1 }).lean()).map((i) => i._id));
  expect((await m.lines.find({}, { invoiceId: 1 }).lean()).some((l) => !issuedNow.has(l.invoiceId))).toBe(true);
  const mid = (await s.op('InvoiceRun', { id }, op)).data.invoiceRun;
  expect(mid.status).toBe('RUNNING');
  expect(mid.invoicesCreated).toBeLessThan(1 + CUSTOMERS);

  const second = await spawnWorker(s, WORKER_ENV);
  procs.push(second);
  const done = await waitFor('run completed', async () => {
    const r = (await s.op('InvoiceRun', { id }, op)).data.invoiceRun;
    return r.status === 'COMPLETED' && r;
  }, 60_000);
  expect(done).toMatchObject({ progress: 100, invoicesCreated: 1 + CUSTOMERS, failedReason: null });
  await expectExactlyOnce('2026-07');
  second.proc.kill('SIGTERM');
  expect(await second.exited).toBe(0); // graceful shutdown closes the BullMQ worker
}, 120_000);

it('two worker processes running together do nothing twice', async () => {
  const a = await spawnWorker(s, { ...WORKER_ENV, BILLING_TEST_BILL_DELAY_MS: '100' });
  const b = await spawnWorker(s, { ...WORKER_ENV, BILLING_TEST_BILL_DELAY_MS: '100' });
  procs.push(a, b);
  // Both also get asked to start the same month at once.
  const [r1, r2] = await Promise.all([s.op('StartInvoiceRun', { period: '2026-08' }, op), s.op('StartInvoiceRun', { period: '2026-08' }, op)]);
  expect(r1.data.startInvoiceRun.run.id).toBe(r2.data.startInvoiceRun.run.id);
  const run = await runMonth(s, '2026-08');
  expect(run.invoicesCreated).toBe(1 + CUSTOMERS);
  await new Promise((r) => setTimeout(r, 500));
  await expectExactlyOnce('2026-08');
  expect(await s.billing.deps.models.runs.countDocuments({ period: '2026-08' })).toBe(1);
  // Each process counts what it issued (/metrics): together exactly one per bill-to.
  const issued = async (p: WorkerProcess) => {
    const text = await (await fetch(`${p.base}/metrics`)).text();
    return [...text.matchAll(/^billing_invoices_issued_total\{[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
  };
  expect((await issued(a)) + (await issued(b))).toBe(1 + CUSTOMERS);
  for (const p of [a, b]) p.proc.kill('SIGTERM');
  await Promise.all([a.exited, b.exited]);
}, 90_000);
