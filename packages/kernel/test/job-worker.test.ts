import { DelayedError, Queue, QueueEvents, type Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { bullPrefix, createLogger, currentRequestId, registry, startJobWorker } from '@csp/kernel';
import { isolatedEnv } from '@csp/testkit';

/**
 * The one job wrapper every worker uses: a job runs under the request id of the work that queued
 * it, and its time lands in the job duration histogram (job_duration_seconds) under its outcome.
 */
const env = isolatedEnv('job-worker');
const QUEUE = 'job-worker-test';
let redis: Redis;
let queue: Queue;
let events: QueueEvents;
let worker: Worker;
const connections: Redis[] = [];
const own = (r: Redis) => (connections.push(r), r);

beforeAll(async () => {
  redis = new Redis(env.REDIS_URL!, { maxRetriesPerRequest: null });
  queue = new Queue(QUEUE, { connection: redis, prefix: bullPrefix(env.REDIS_PREFIX!) });
  events = new QueueEvents(QUEUE, { connection: own(redis.duplicate()), prefix: bullPrefix(env.REDIS_PREFIX!) });
  await events.waitUntilReady();
  worker = startJobWorker<{ requestId?: string; fail?: 'error' | 'wait' }>(
    {
      queue: QUEUE,
      connection: own(redis.duplicate()),
      redisPrefix: env.REDIS_PREFIX!,
      logger: createLogger('job-worker-test', 'silent'),
      outcomeOf: (err) => (err instanceof DelayedError ? 'delayed' : 'error'),
    },
    async (job) => {
      if (job.data.fail === 'error') throw new Error('no');
      if (job.data.fail === 'wait') throw new DelayedError();
      return currentRequestId();
    },
  );
});
afterAll(async () => {
  await worker.close();
  await events.close();
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  for (const c of connections) c.disconnect();
  redis.disconnect();
});

const count = async (outcome: string) => {
  const text = await registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith('job_duration_seconds_count{') && [`queue="${QUEUE}"`, 'name="n"', `outcome="${outcome}"`].every((label) => l.includes(label)));
  return Number(line?.split(' ').pop() ?? 0);
};

it('runs a job under the request id that queued it, or one naming the job', async () => {
  const queued = await queue.add('n', { requestId: 'req-123' });
  expect(await queued.waitUntilFinished(events, 10_000)).toBe('req-123');
  const bare = await queue.add('n', {});
  expect(await bare.waitUntilFinished(events, 10_000)).toBe(`job:${bare.id}`);
  expect(await count('ok')).toBe(2);
});

it('times a failure under the outcome the worker gives it', async () => {
  const failed = await queue.add('n', { fail: 'error' });
  await expect(failed.waitUntilFinished(events, 10_000)).rejects.toThrow('no');
  expect(await count('error')).toBe(1);
  expect(await count('delayed')).toBe(0);
});
