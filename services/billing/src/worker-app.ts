import { startTimeTrigger, startWorkerService, type RunningWorkerService, type TimeTrigger } from '@csp/kernel';
import type { Worker } from 'bullmq';
import { billingWorkerProcess } from './config';
import { buildDeps, type BillingDeps } from './deps';
import { startInvoicingWorker } from './runs/invoicing.worker';
import { registerInvoiceRunGauges } from './metrics';
import { periodOf } from './money/dates';

export type RunningBillingWorker = RunningWorkerService<BillingDeps, { trigger: TimeTrigger; worker: Worker }>;

/**
 * The invoice worker process: processes invoice runs and, at every month end the platform
 * clock passes (test-clock jumps included), starts the run of the month that closed. Several
 * replicas may see the same month end; the run and its job ids are unique per month.
 */
export function startBillingWorker(env: NodeJS.ProcessEnv = process.env, embedded = false): Promise<RunningBillingWorker> {
  return startWorkerService({
    runtime: { ...billingWorkerProcess, env, embedded },
    deps: buildDeps,
    start: async (deps, rt) => {
      registerInvoiceRunGauges(deps);
      const worker = startInvoicingWorker(deps, rt.workerRedis(), rt.config.REDIS_PREFIX, rt.logger);
      const trigger = startTimeTrigger({
        name: 'billing-invoice-run',
        cadence: 'month',
        clock: rt.clock,
        store: rt.mongo.connection,
        logger: rt.logger,
        // The boundary is the first instant of the new month: invoice the month before it.
        fire: async (boundary) => {
          await deps.runs.ensureRun(periodOf(new Date(boundary.getTime() - 1)));
        },
      });
      await trigger.check();
      return { trigger, worker };
    },
  });
}
