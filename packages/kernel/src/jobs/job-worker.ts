import { Worker, type Job, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { bullPrefix } from '../events/queues';
import type { Logger } from '../runtime/logger';
import { jobDuration } from '../runtime/metrics';
import { runWithRequestId } from '../runtime/request-context';
import { runInJobSpan } from '../runtime/trace-context';

/** Where a job came from: the request that queued it and its trace (carried in the job's data). */
export interface JobOrigin {
  requestId?: string;
  traceparent?: string;
  /** The span and metric name (default: the job's name). */
  name?: string;
}

export interface JobWorkerOptions<T> extends Omit<WorkerOptions, 'connection' | 'prefix'> {
  queue: string;
  /** A connection of the process's own for blocking commands (Runtime.workerRedis()). */
  connection: Redis;
  /** The deployment's Redis prefix (REDIS_PREFIX); BullMQ's keys live under its namespace. */
  redisPrefix: string;
  logger: Logger;
  /** Default: `requestId` and `traceparent` of the job's data. */
  origin?: (job: Job<T>) => JobOrigin;
  /** The metric outcome of a thrown error (default 'error'; e.g. 'delayed' for a job put back to wait). */
  outcomeOf?: (err: unknown) => string;
}

const dataOrigin = (job: Job<unknown>): JobOrigin => {
  const data = (job.data ?? {}) as { requestId?: unknown; traceparent?: unknown };
  return {
    requestId: typeof data.requestId === 'string' ? data.requestId : undefined,
    traceparent: typeof data.traceparent === 'string' ? data.traceparent : undefined,
  };
};

/**
 * The one way a process runs jobs: each job under the request id of the work that queued it
 * (logs correlate), in a span continuing that request's trace, timed per queue, name and outcome
 * (csp_job_duration_seconds), and the worker's own errors logged. Retry, backoff, locks and
 * stalled-job recovery are BullMQ's, set through the options.
 */
export function startJobWorker<T, R = unknown>(opts: JobWorkerOptions<T>, run: (job: Job<T>, token?: string) => Promise<R>): Worker<T, R> {
  const { queue, connection, redisPrefix, logger, origin = dataOrigin, outcomeOf = () => 'error', ...workerOptions } = opts;
  const worker = new Worker<T, R>(
    queue,
    (job, token) => {
      const from = origin(job);
      const name = from.name ?? job.name;
      return runWithRequestId(from.requestId ?? `job:${job.id}`, () =>
        runInJobSpan(queue, name, from.traceparent, async () => {
          const started = process.hrtime.bigint();
          const observe = (outcome: string) => jobDuration.observe({ queue, name, outcome }, Number(process.hrtime.bigint() - started) / 1e9);
          try {
            const result = await run(job, token);
            observe('ok');
            return result;
          } catch (err) {
            observe(outcomeOf(err));
            throw err;
          }
        }),
      );
    },
    { ...workerOptions, connection, prefix: bullPrefix(redisPrefix) },
  );
  worker.on('error', (err) => logger.error({ err, queue }, 'job worker error'));
  return worker;
}

