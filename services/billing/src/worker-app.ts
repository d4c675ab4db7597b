import { createRuntime, enableQueueMetrics, startTimeTrigger, type Runtime } from '@csp/kernel';
import type { Worker } from 'bullmq';
import { billingWorkerProcess } from './config';
import { buildDeps, type BillingDeps } from './deps';
import { startInvoicingWorker } from './runs/invoicing.worker';
import { registerInvoiceRunGauges } from './metrics';
import { periodOf } from './money/dates';

export interface RunningBillingWorker {
  url: string;
  rt: Runtime;
  deps: BillingDeps;
  worker: Worker;
  stop(): Promise<void>;
}

/**
 * The invoice worker process: processes invoice runs and, at every month end the platform
 * clock passes (test-clock jumps included), starts the run of the month that closed. Several
 * replicas may see the same month end; the run and its job ids are unique per month.
 */
export async function startBillingWorker(env: NodeJS.ProcessEnv = process.env, embedded = false): Promise<RunningBillingWorker> {
  const rt = await createRuntime({ ...billingWorkerProcess, env, embedded });
  // Job counts per queue and state on /metrics, for dashboards and alerts.
  const queueMetrics = enableQueueMetrics(rt.redis, rt.config.REDIS_PREFIX);
  rt.shutdown.addFinal('queue metrics', () => queueMetrics.close());
  const deps = await buildDeps(rt);
  registerInvoiceRunGauges(deps);
  const worker = startInvoicingWorker(deps, rt.workerRedis(), rt.logger);
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
  rt.shutdown.add('time-trigger', () => trigger.stop());
  rt.shutdown.add('invoicing-worker', () => worker.close());
  const url = await rt.listen();
  return { url, rt, deps, worker, stop: () => rt.shutdown.run() };
}
