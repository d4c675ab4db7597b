import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { bullPrefix } from '@csp/kernel';
import { eventually, type Stack } from '@csp/testkit';

export interface FailingJob {
  queue: Queue;
  jobId: string;
  close(): Promise<void>;
}

/**
 * A queue whose one job fails on its only attempt and succeeds when retried: what the
 * operator's job monitoring (graph and dashboard) must show and let them retry.
 */
export async function failingJob(stack: Stack, queueName: string, jobId: string, reason: string): Promise<FailingJob> {
  const redis = new Redis(stack.env.REDIS_URL!, { maxRetriesPerRequest: null });
  const prefix = bullPrefix(stack.env.REDIS_PREFIX!);
  const queue = new Queue(queueName, { connection: redis, prefix });
  let failNext = true;
  const worker = new Worker(
    queueName,
    async () => {
      if (!failNext) return 'ok';
      failNext = false;
      throw new Error(reason);
    },
    { connection: redis, prefix },
  );
  await queue.add('provision', { subscriptionId: jobId }, { jobId, attempts: 1 });
  await eventually(async () => (await queue.getJobCounts('failed')).failed === 1);
  return {
    queue,
    jobId,
    async close() {
      await worker.close();
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      redis.disconnect();
    },
  };
}
