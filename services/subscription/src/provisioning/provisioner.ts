import { DelayedError, type Job } from 'bullmq';
import { crashPoint, wallClockIn, type Logger } from '@csp/kernel';
import type { CloudConnector } from '../cloud/connector';
import type { LifecycleService } from '../subscriptions/lifecycle.service';
import type { OwnerGrant } from '../subscriptions/owner-grant';
import type { SubscriptionDoc } from '../subscriptions/subscription.model';
import type { Model } from 'mongoose';
import type { ProvisionJob } from './provisioning.queue';

/** The longest a job waits between two looks at the owner grant. */
export const MAX_OWNER_WAIT_MS = 5 * 60_000;

/** Partner offers never reach the vendor's cloud: only the owner grant stands between them and ACTIVE. */
const vendorSide = (s: SubscriptionDoc) => s.billingType !== 'PARTNER';

/**
 * One provisioning attempt. Safe to run again at any point (retry, stalled job after a crash):
 * the cloud create is idempotent per subscription id, and activation happens once because it
 * is a PROVISIONING → ACTIVE transition under the subscription's lock. It activates only once
 * the partner's OWNER grant is in force (see OwnerGrant); until then the job waits, ever
 * longer, and runs again — waiting is not a failed attempt, so it never gives up.
 */
export function provisioner(deps: { subscriptions: Model<SubscriptionDoc>; cloud: CloudConnector; lifecycle: LifecycleService; ownerGrant: OwnerGrant; logger: Logger }) {
  return async (job: Job<ProvisionJob>, token?: string): Promise<string> => {
    const { subscriptionId } = job.data;
    const attempt = job.attemptsMade + 1;
    const last = attempt >= (job.opts.attempts ?? 1);
    let sub = await deps.subscriptions.findById(subscriptionId).lean<SubscriptionDoc>();
    if (!sub) throw new Error(`subscription ${subscriptionId} does not exist`);
    // A FAILED subscription's job runs again only when someone retried it (RetryJob): try again.
    if (sub.status === 'FAILED') sub = await deps.lifecycle.retryProvisioning(subscriptionId);
    // Cancelled while an earlier run waited for the owner grant: what that run created must not live on.
    if (sub.status === 'CANCELLED' && vendorSide(sub)) await deps.cloud.cancel(subscriptionId);
    if (sub.status !== 'PROVISIONING') return `nothing to do: ${sub.status}`;
    crashPoint('provisioning.claimed');
    if (vendorSide(sub)) {
      try {
        const { cloudId, created } = await deps.cloud.createSubscription({
          subscriptionId,
          customerId: sub.customerId,
          offerId: sub.offerId,
          quantity: sub.quantity,
        });
        deps.logger.info({ subscriptionId, cloudId, created, attempt }, 'cloud subscription ready');
      } catch (err) {
        const reason = (err as Error).message;
        deps.logger.warn({ subscriptionId, attempt, last, reason }, 'provisioning attempt failed');
        if (last) await deps.lifecycle.fail(subscriptionId, attempt, reason);
        throw err;
      }
    }
    crashPoint('provisioning.cloud-created');
    if (!(await deps.ownerGrant.inForce(sub))) return waitForOwner(job, token, deps.logger);
    const { activated, status } = await deps.lifecycle.activate(subscriptionId, attempt);
    crashPoint('provisioning.activated');
    // Cancelled while we were creating it: the cloud subscription must not live on.
    if (status === 'CANCELLED' && vendorSide(sub)) await deps.cloud.cancel(subscriptionId);
    return activated ? 'activated' : `left as ${status}`;
  };
}

/** Puts the job back, delayed (doubling from its backoff delay, at most MAX_OWNER_WAIT_MS), to look at the grant again. */
async function waitForOwner(job: Job<ProvisionJob>, token: string | undefined, logger: Logger): Promise<never> {
  const waits = (job.data.ownerWaits ?? 0) + 1;
  const backoff = job.opts.backoff;
  const base = Math.max(50, (typeof backoff === 'number' ? backoff : backoff?.delay) ?? 1_000);
  const delayMs = Math.min(MAX_OWNER_WAIT_MS, base * 2 ** Math.min(waits - 1, 20));
  logger.info({ subscriptionId: job.data.subscriptionId, waits, delayMs }, 'owner grant not in force yet: provisioning waits');
  await job.updateData({ ...job.data, ownerWaits: waits });
  // Real time, as BullMQ schedules: a transport delay, not a business date.
  await job.moveToDelayed(wallClockIn(delayMs), token);
  throw new DelayedError();
}
