import { DelayedError, type Worker } from 'bullmq';
import { route } from '@csp/events';
import { OutboxRelay, startJobWorker, startTimeTrigger, startWorkerService, type RunningWorkerService, type Runtime, type TimeTrigger } from '@csp/kernel';
import { reportDailyUsage } from './cloud/sim-usage';
import { subscriptionWorkerProcess } from './config';
import { buildCore } from './deps';
import { PROVISIONING_QUEUE, type ProvisionJob } from './provisioning/provisioning.queue';
import { provisioner } from './provisioning/provisioner';

export type RunningWorker = RunningWorkerService<Awaited<ReturnType<typeof buildCore>>, { usage: TimeTrigger; worker: Worker<ProvisionJob>; relay: OutboxRelay }>;

/**
 * The provisioning worker: its own process so ops scale it apart from the subgraph. Runs the
 * provisioning jobs (asking access-control whether each one's OWNER grant is in force before it
 * reports it ACTIVE), the simulated cloud's daily usage report, and relays what it writes.
 */
export function startSubscriptionWorker(env: NodeJS.ProcessEnv = process.env, embedded = false): Promise<RunningWorker> {
  return startWorkerService({ runtime: { ...subscriptionWorkerProcess, env, embedded }, deps: buildCore, start: startParts });
}

function startParts(core: Awaited<ReturnType<typeof buildCore>>, rt: Runtime<typeof subscriptionWorkerProcess.settings>) {
  const settings = rt.settings;
  const prefix = rt.config.REDIS_PREFIX;

  const relay = new OutboxRelay({
    redis: rt.redis,
    prefix,
    models: [core.models.subscriptions, core.models.usageBatches],
    route,
    logger: rt.logger,
    sweepMs: rt.config.OUTBOX_SWEEP_MS,
  }).start();

  const run = provisioner({ subscriptions: core.models.subscriptions, cloud: core.cloud, lifecycle: core.lifecycle, ownerGrant: core.ownerGrant, logger: rt.logger });
  const worker = startJobWorker<ProvisionJob>(
    {
      queue: PROVISIONING_QUEUE,
      connection: rt.workerRedis(),
      redisPrefix: prefix,
      logger: rt.logger,
      concurrency: settings.PROVISIONING_CONCURRENCY,
      stalledInterval: settings.WORKER_STALLED_INTERVAL_MS,
      lockDuration: settings.WORKER_LOCK_MS,
      // A job whose worker died is run again; only a job that keeps killing workers gives up.
      maxStalledCount: 3,
      // Waiting for the owner grant is not an error: the job runs again later.
      outcomeOf: (err) => (err instanceof DelayedError ? 'delayed' : 'error'),
    },
    run,
  );
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

  return { usage, worker, relay };
}
