import { DelayedError, Worker } from 'bullmq';
import { route } from '@csp/events';
import { bullPrefix, createRuntime, enableQueueMetrics, jobDuration, OutboxRelay, runInJobSpan, runWithRequestId, startTimeTrigger, type Runtime } from '@csp/kernel';
import { reportDailyUsage } from './cloud/sim-usage';
import { subscriptionWorkerProcess } from './config';
import { buildCore } from './deps';
import { PROVISIONING_QUEUE, type ProvisionJob } from './provisioning/provisioning.queue';
import { provisioner } from './provisioning/provisioner';

export interface RunningWorker {
  url: string;
  rt: Runtime;
  core: Awaited<ReturnType<typeof buildCore>>;
  worker: Worker<ProvisionJob>;
  relay: OutboxRelay;
  usage: { check(): Promise<void>; stop(): void };
  stop(): Promise<void>;
}

/**
 * The provisioning worker: its own process so ops scale it apart from the subgraph. Runs the
 * provisioning jobs (asking access-control whether each one's OWNER grant is in force before it
 * reports it ACTIVE), the simulated cloud's daily usage report, and relays what it writes.
 */
export async function startSubscriptionWorker(env: NodeJS.ProcessEnv = process.env, embedded = false): Promise<RunningWorker> {
  const rt = await createRuntime({ ...subscriptionWorkerProcess, env, embedded });
  const settings = rt.settings;
  const core = await buildCore(rt);
  const prefix = rt.config.REDIS_PREFIX;
  // Job counts per queue and state on /metrics, for dashboards and alerts.
  const queues = enableQueueMetrics(rt.redis, prefix);

  const relay = new OutboxRelay({
    redis: rt.redis,
    prefix,
    models: [core.models.subscriptions, core.models.usageBatches],
    route,
    logger: rt.logger,
    sweepMs: rt.config.OUTBOX_SWEEP_MS,
  }).start();

  const run = provisioner({ subscriptions: core.models.subscriptions, cloud: core.cloud, lifecycle: core.lifecycle, ownerGrant: core.ownerGrant, logger: rt.logger });
  const worker = new Worker<ProvisionJob>(
    PROVISIONING_QUEUE,
    (job, token) =>
      runWithRequestId(job.data.requestId ?? `job-${job.id}`, () => runInJobSpan(PROVISIONING_QUEUE, job.name, job.data.traceparent, async () => {
        const started = process.hrtime.bigint();
        const observe = (outcome: string) =>
          jobDuration.observe({ queue: PROVISIONING_QUEUE, name: job.name, outcome }, Number(process.hrtime.bigint() - started) / 1e9);
        try {
          const result = await run(job, token);
          observe('ok');
          return result;
        } catch (err) {
          // Waiting for the owner grant is not an error: the job runs again later.
          observe(err instanceof DelayedError ? 'delayed' : 'error');
          throw err;
        }
      })),
    {
      connection: rt.workerRedis(),
      prefix: bullPrefix(prefix),
      concurrency: settings.PROVISIONING_CONCURRENCY,
      stalledInterval: settings.WORKER_STALLED_INTERVAL_MS,
      lockDuration: settings.WORKER_LOCK_MS,
      // A job whose worker died is run again; only a job that keeps killing workers gives up.
      maxStalledCount: 3,
    },
  );
  worker.on('error', (err) => rt.logger.error({ err }, 'provisioning worker error'));
  worker.on('stalled', (jobId) => rt.logger.warn({ jobId }, 'provisioning job stalled; it will run again'));
  // Safety net: a job that ended failed for a reason the processor never saw (e.g. stalled too
  // often) must not leave its subscription PROVISIONING forever. `fail` is a no-op otherwise.
  worker.on('failed', (job, err) => {
    if (!job) return;
    void job
      .getState()
      .then((state) => (state === 'failed' ? core.lifecycle.fail(job.data.subscriptionId, job.attemptsMade, err.message) : undefined))
      .then(() => relay.kick())
      .catch((e) => rt.logger.error({ err: e, jobId: job.id }, 'could not mark a failed provisioning job'));
  });

  const usage = startTimeTrigger({
    name: 'sim-cloud-daily-usage',
    cadence: 'day',
    clock: rt.clock,
    store: rt.mongo.connection,
    logger: rt.logger,
    pollMs: settings.USAGE_TRIGGER_POLL_MS,
    fire: async (boundary) => {
      const n = await reportDailyUsage(boundary, core.models.clouds, core.models.usageBatches, rt.clock, core.rm.meters);
      rt.logger.info({ day: boundary.toISOString(), records: n }, 'simulated cloud reported daily usage');
      await relay.kick();
    },
  });

  rt.shutdown.add('usage-trigger', () => usage.stop());
  rt.shutdown.add('provisioning-worker', () => worker.close());
  rt.shutdown.add('relay', () => relay.stop());
  rt.shutdown.add('queue-metrics', () => queues.close());
  const url = await rt.listen();
  return { url, rt, core, worker, relay, usage, stop: () => rt.shutdown.run() };
}
