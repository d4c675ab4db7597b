import { Queue, type Job } from 'bullmq';
import { bullPrefix, currentRequestId, currentTraceparent } from '@csp/kernel';
import type { Redis } from 'ioredis';

export const PROVISIONING_QUEUE = 'subscription-provisioning';

export interface ProvisionJob {
  subscriptionId: string;
  /** The request that ordered it, so the job's logs and events carry the same id. */
  requestId?: string;
  /** W3C trace context of that request: the job's span continues its trace. */
  traceparent?: string;
  /** How often the job found the partner's OWNER grant not yet in force (its next wait doubles). */
  ownerWaits?: number;
}

/** One job per subscription, ever: the id is the dedup key (a re-add is ignored). */
export const provisionJobId = (subscriptionId: string) => `provision-${subscriptionId}`;

export function provisioningQueue(redis: Redis, prefix: string): Queue<ProvisionJob> {
  return new Queue<ProvisionJob>(PROVISIONING_QUEUE, { connection: redis, prefix: bullPrefix(prefix) });
}

export async function enqueueProvisioning(
  queue: Queue<ProvisionJob>,
  subscriptionIds: string[],
  opts: { attempts: number; backoffMs: number },
): Promise<void> {
  await queue.addBulk(
    subscriptionIds.map((subscriptionId) => ({
      name: 'provision',
      data: { subscriptionId, requestId: currentRequestId(), traceparent: currentTraceparent() },
      opts: {
        jobId: provisionJobId(subscriptionId),
        attempts: opts.attempts,
        backoff: { type: 'exponential', delay: opts.backoffMs },
        // Kept long enough that the graph can show how provisioning went.
        removeOnComplete: { age: 30 * 24 * 3600 },
        removeOnFail: { age: 90 * 24 * 3600 },
      },
    })),
  );
}

export type ProvisioningState = 'WAITING' | 'ACTIVE' | 'COMPLETED' | 'FAILED' | 'DELAYED';

export interface ProvisioningView {
  state: ProvisioningState;
  attempts: number;
  failedReason: string | null;
}

/** The job's live state, as BullMQ holds it. Null when the job no longer exists. */
export async function provisioningView(queue: Queue<ProvisionJob>, subscriptionId: string): Promise<ProvisioningView | null> {
  let job: Job<ProvisionJob> | undefined = await queue.getJob(provisionJobId(subscriptionId));
  if (!job) return null;
  const raw = await job.getState();
  // The job may have finished between the two reads: BullMQ writes a finished job's attempts with
  // its final state, so read it again to report the attempts that state belongs to.
  if ((raw === 'completed' || raw === 'failed') && !job.finishedOn) job = (await queue.getJob(provisionJobId(subscriptionId))) ?? job;
  const state: ProvisioningState =
    raw === 'active' ? 'ACTIVE' : raw === 'completed' ? 'COMPLETED' : raw === 'failed' ? 'FAILED' : raw === 'delayed' ? 'DELAYED' : 'WAITING';
  return { state, attempts: job.attemptsMade, failedReason: state === 'COMPLETED' ? null : (job.failedReason ?? null) };
}
