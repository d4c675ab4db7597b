import { spawnWorker, startBillingStack, waitFor, type BillingStack, type WorkerProcess } from './billing-fixtures';
import { CUSTOMERS, expectEachInvoiceOnce, seedManyCustomers } from './many-customers';

/**
 * The invoice run killed at each of its named crash points (CSP_CRASH_AT: the worker process
 * dies there with SIGKILL) and finished by a restarted worker: each bill-to ends with exactly one
 * invoice, announced once, its lines stored once and summing to its total, nothing left as draft.
 * One month per point, run in order (a later month's run would bill an earlier month's usage).
 */
let s: BillingStack;
let op: string;
const procs: WorkerProcess[] = [];
const WORKER_ENV = { BILLING_JOB_LOCK_MS: '2000', BILLING_WORKER_CONCURRENCY: '1' };

const POINTS = [
  ['invoice-run.tasks-planned', '2026-03'], // bill-to tasks stored, their jobs not queued
  ['invoice-run.lines-written', '2026-04'], // an invoice's lines stored, its header not
  ['invoice-run.invoice-written', '2026-05'], // an invoice issued, not announced
  ['invoice-run.bill-to-issued', '2026-06'], // a bill-to's invoices issued, its task not marked done
] as const;

beforeAll(async () => {
  s = await startBillingStack('billcrash');
  op = await s.operatorToken();
  await seedManyCustomers(s, POINTS.map(([, month]) => month));
}, 60_000);

afterAll(async () => {
  for (const p of procs) if (p.proc.exitCode === null) p.proc.kill('SIGKILL');
  await s?.stop();
});

it.each(POINTS)('killed at %s, restarted: the run of %s completes with each invoice once', async (point, period) => {
  const doomed = await spawnWorker(s, { ...WORKER_ENV, CSP_CRASH_AT: point });
  procs.push(doomed);
  const started = await s.op('StartInvoiceRun', { period }, op);
  const id = started.data.startInvoiceRun.run.id;
  const died = await Promise.race([doomed.exited.then(() => doomed.proc.signalCode), new Promise((r) => setTimeout(() => r('still running'), 30_000).unref())]);
  expect(died).toBe('SIGKILL');
  const mid = (await s.op('InvoiceRun', { id }, op)).data.invoiceRun;
  expect(mid.status).not.toBe('COMPLETED');

  const restarted = await spawnWorker(s, WORKER_ENV);
  procs.push(restarted);
  const done = await waitFor(`run ${period} completed`, async () => {
    const r = (await s.op('InvoiceRun', { id }, op)).data.invoiceRun;
    return r.status === 'COMPLETED' && r;
  }, 45_000);
  expect(done).toMatchObject({ progress: 100, invoicesCreated: 1 + CUSTOMERS, failedReason: null });
  await expectEachInvoiceOnce(s, period);
  restarted.proc.kill('SIGTERM');
  await restarted.exited;
}, 120_000);
