import { bullPrefix, jobDuration, runInJobSpan, runWithRequestId, type Logger } from '@csp/kernel';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { BillingDeps } from '../deps';
import { checkBudget } from '../budgets/budget.service';
import { INVOICING_QUEUE, type BillJob, type BudgetJob, type RunJob } from './queues';

/**
 * Processes the invoicing queue. A job that a dead worker held is taken over once its lock
 * lapses (stalled-job recovery); whatever it had written is completed, not repeated.
 */
export function startInvoicingWorker(deps: BillingDeps, connection: Redis, logger: Logger): Worker {
  const worker = new Worker(
    INVOICING_QUEUE,
    async (job: Job<RunJob | BillJob | BudgetJob>) =>
      runWithRequestId(job.data.requestId ?? `job:${job.id}`, () => runInJobSpan(INVOICING_QUEUE, job.name, job.data.traceparent, async () => {
        const started = process.hrtime.bigint();
        const observe = (outcome: string) => jobDuration.observe({ queue: INVOICING_QUEUE, name: job.name, outcome }, Number(process.hrtime.bigint() - started) / 1e9);
        try {
          let result: number;
          if (job.name === 'run') {
            result = await deps.invoicing.plan(job.data as RunJob);
          } else if (job.name === 'budget') {
            result = await checkBudget(deps, (job.data as BudgetJob).customerId);
          } else {
            result = await deps.invoicing.bill(job.data as BillJob);
          }
          observe('ok');
          return result;
        } catch (err) {
          observe('error');
          throw err;
        }
      })),
    {
      connection,
      prefix: bullPrefix(deps.rt.config.REDIS_PREFIX),
      concurrency: deps.settings.BILLING_WORKER_CONCURRENCY,
      lockDuration: deps.settings.BILLING_JOB_LOCK_MS,
      stalledInterval: deps.settings.BILLING_JOB_LOCK_MS,
      maxStalledCount: 5,
    },
  );
  worker.on('failed', (job, err) => {
    if (!job) return;
    // A job that cannot succeed until someone acts (a missing FX rate) fails at once, with its reason.
    const final = job.attemptsMade >= (job.opts.attempts ?? 1) || err.name === 'UnrecoverableError';
    logger.warn({ err, jobId: job.id, attempt: job.attemptsMade, final }, 'invoicing job failed');
    if (final && 'runId' in job.data) {
      const reason = `${job.name} ${job.id}: ${err.message}`.slice(0, 500);
      void deps.models.runs.updateOne({ _id: job.data.runId }, { $set: { failedReason: reason } }).catch(() => undefined);
    }
  });
  worker.on('error', (err) => logger.error({ err }, 'invoicing worker error'));
  return worker;
}
