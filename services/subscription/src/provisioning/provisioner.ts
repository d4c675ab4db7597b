import type { Job } from 'bullmq';
import type { Logger } from '@csp/kernel';
import type { CloudConnector } from '../cloud/connector';
import type { LifecycleService } from '../subscriptions/lifecycle.service';
import type { SubscriptionDoc } from '../subscriptions/subscription.model';
import type { Model } from 'mongoose';
import type { ProvisionJob } from './provisioning.queue';

/**
 * One provisioning attempt. Safe to run again at any point (retry, stalled job after a crash):
 * the cloud create is idempotent per subscription id, and activation happens once because it
 * is a PROVISIONING → ACTIVE transition under the subscription's lock.
 */
export function provisioner(deps: { subscriptions: Model<SubscriptionDoc>; cloud: CloudConnector; lifecycle: LifecycleService; logger: Logger }) {
  return async (job: Job<ProvisionJob>): Promise<string> => {
    const { subscriptionId } = job.data;
    const attempt = job.attemptsMade + 1;
    const last = attempt >= (job.opts.attempts ?? 1);
    let sub = await deps.subscriptions.findById(subscriptionId).lean<SubscriptionDoc>();
    if (!sub) throw new Error(`subscription ${subscriptionId} does not exist`);
    // A FAILED subscription's job runs again only when someone retried it (RetryJob): try again.
    if (sub.status === 'FAILED') sub = await deps.lifecycle.retryProvisioning(subscriptionId);
    if (sub.status !== 'PROVISIONING') return `nothing to do: ${sub.status}`;
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
    const { activated, status } = await deps.lifecycle.activate(subscriptionId, attempt);
    // Cancelled while we were creating it: the cloud subscription must not live on.
    if (status === 'CANCELLED') await deps.cloud.cancel(subscriptionId);
    return activated ? 'activated' : `left as ${status}`;
  };
}
