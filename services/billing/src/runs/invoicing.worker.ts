import { startJobWorker, type Logger } from '@csp/kernel';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { BillingDeps } from '../deps';
import { checkBudget } from '../budgets/budget.service';
import { INVOICING_QUEUE, type BillJob, type BudgetJob, type RunJob } from './queues';

/**
 * Processes the invoicing queue. A job that a dead worker held is taken over once its lock
 * lapses (stalled-job recovery); whatever it had written is completed, not repeated.
 */
export function startInvoicingWorker(deps: BillingDeps, connection: Redis, redisPrefix: string, logger: Logger): Worker {
  const worker = startJobWorker<RunJob | BillJob | BudgetJob, number>(
    {
      queue: INVOICING_QUEUE,
      connection,
      redisPrefix,
      logger,
      concurrency: deps.settings.BILLING_WORKER_CONCURRENCY,
      lockDuration: deps.settings.BILLING_JOB_LOCK_MS,
      stalledInterval: deps.settings.BILLING_JOB_LOCK_MS,
      maxStalledCount: 5,
    },
    async (job) => {
      if (job.name === 'run') return deps.invoicing.plan(job.data as RunJob);
      if (job.name === 'budget') return checkBudget(deps, (job.data as BudgetJob).customerId);
      return deps.invoicing.bill(job.data as BillJob);
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
  return worker;
}
