import { event } from '@csp/events';
import { badInput, optionalName } from '@csp/kernel';
import type { CloudConnector } from '../cloud/connector';
import { factsOf } from './facts';
import type { ServiceEntry, SubscriptionDoc, SubscriptionStatus } from './subscription.model';
import type { Change, SubscriptionStore } from './subscription.store';

export const PROVISIONING_ACTOR = 'system:provisioning';

const illegal = (doc: SubscriptionDoc, what: string, allowed: SubscriptionStatus[]) =>
  badInput(`Cannot ${what} subscription ${doc._id}: it is ${doc.status} (only ${allowed.join(' or ')} can be).`, 'id');

/**
 * The subscription state machine: PROVISIONING → ACTIVE ⇄ SUSPENDED → CANCELLED, and FAILED.
 * Each transition calls the cloud first (idempotent there), then records status, history and
 * events in one write under the subscription's lock.
 */
export class LifecycleService {
  constructor(
    private readonly store: SubscriptionStore,
    private readonly cloud: CloudConnector,
    private readonly clock: import('@csp/kernel').Clock,
  ) {}

  update(id: string, actor: string, input: { quantity?: number | null; friendlyName?: string | null }) {
    return this.store.change(id, async (doc) => {
      if (doc.status === 'CANCELLED' || doc.status === 'FAILED') throw illegal(doc, 'change', ['PROVISIONING', 'ACTIVE', 'SUSPENDED']);
      const set: Partial<SubscriptionDoc> = {};
      let previous: number | undefined;
      if (input.quantity != null && input.quantity !== doc.quantity) {
        if (doc.billingType !== 'LICENSE') throw badInput('Only LICENSE subscriptions have a quantity to change; usage subscriptions are always 1.', 'quantity');
        if (doc.status !== 'ACTIVE') throw illegal(doc, 'change the quantity of', ['ACTIVE']);
        if (!Number.isInteger(input.quantity) || input.quantity < doc.minQuantity || input.quantity > doc.maxQuantity) {
          throw badInput(`quantity must be between ${doc.minQuantity} and ${doc.maxQuantity} for this offer; got ${input.quantity}.`, 'quantity');
        }
        await this.cloud.changeQuantity(doc._id, input.quantity);
        previous = doc.quantity;
        set.quantity = input.quantity;
      }
      if (input.friendlyName !== undefined && input.friendlyName !== doc.friendlyName) {
        set.friendlyName = normalizeName(input.friendlyName);
      }
      if (!Object.keys(set).length) return null;
      return {
        set,
        events:
          previous === undefined
            ? undefined
            : (at) => [event('subscription.quantityChanged', { ...factsOf({ ...doc, ...set }, at), previousQuantity: previous! }, this.clock)],
      };
    });
  }

  suspend(id: string, actor: string, reason: string) {
    if (!reason.trim()) throw badInput('A reason is required to suspend a subscription.', 'reason');
    return this.store.change(id, async (doc) => {
      if (doc.status !== 'ACTIVE') throw illegal(doc, 'suspend', ['ACTIVE']);
      await this.cloud.suspend(doc._id);
      const { services, stopped } = stopAll(doc.services);
      return {
        set: { status: 'SUSPENDED', services },
        history: { status: 'SUSPENDED', actor, reason: reason.trim() },
        events: (at) => [
          event('subscription.suspended', { ...factsOf(doc, at), reason: reason.trim() }, this.clock),
          ...stopped.map((s) => event('service.stopped', { subscriptionId: doc._id, name: s.name, meterId: s.meterId, at: at.toISOString() }, this.clock)),
        ],
      };
    });
  }

  reactivate(id: string, actor: string) {
    return this.store.change(id, async (doc) => {
      if (doc.status !== 'SUSPENDED') throw illegal(doc, 'reactivate', ['SUSPENDED']);
      await this.cloud.reactivate(doc._id);
      return {
        set: { status: 'ACTIVE' },
        history: { status: 'ACTIVE', actor, reason: 'reactivated' },
        events: (at) => [event('subscription.reactivated', factsOf(doc, at), this.clock)],
      };
    });
  }

  /** Any time (pay as you go): usage accrued until now stays billable. */
  cancel(id: string, actor: string, reason?: string) {
    return this.store.change(id, async (doc) => {
      if (doc.status === 'CANCELLED' || doc.status === 'FAILED') throw illegal(doc, 'cancel', ['PROVISIONING', 'ACTIVE', 'SUSPENDED']);
      // A PROVISIONING one may have no cloud subscription yet: cancel is a no-op there, and the
      // provisioning job, finding it CANCELLED, cancels whatever it created.
      await this.cloud.cancel(doc._id);
      const { services, stopped } = stopAll(doc.services);
      return {
        set: { status: 'CANCELLED', services },
        history: { status: 'CANCELLED', actor, ...(reason ? { reason } : {}) },
        events: (at) => [
          ...stopped.map((s) => event('service.stopped', { subscriptionId: doc._id, name: s.name, meterId: s.meterId, at: at.toISOString() }, this.clock)),
          event('subscription.cancelled', factsOf(doc, at), this.clock),
        ],
      };
    });
  }

  /** The provisioning job succeeded. Returns false when the subscription left PROVISIONING meanwhile. */
  async activate(id: string, attempts: number): Promise<{ activated: boolean; status: SubscriptionStatus }> {
    let activated = false;
    const doc = await this.store.change(id, (d): Change | null => {
      if (d.status !== 'PROVISIONING') return null;
      activated = true;
      return {
        set: { status: 'ACTIVE', provisionedAttempts: attempts },
        history: { status: 'ACTIVE', actor: PROVISIONING_ACTOR, reason: `provisioned after ${attempts} attempt${attempts === 1 ? '' : 's'}` },
        events: (at) => [event('subscription.activated', { ...factsOf(d, at), adminAgentsGroupId: d.adminAgentsGroupId }, this.clock)],
      };
    });
    return { activated, status: doc.status };
  }

  /** The operator retried a failed provisioning job: FAILED → PROVISIONING, one more try. */
  retryProvisioning(id: string) {
    return this.store.change(id, (d): Change | null => {
      if (d.status !== 'FAILED') return null;
      return {
        set: { status: 'PROVISIONING', failedReason: undefined },
        history: { status: 'PROVISIONING', actor: PROVISIONING_ACTOR, reason: 'provisioning job retried' },
      };
    });
  }

  /** The last provisioning attempt failed. */
  fail(id: string, attempts: number, reason: string) {
    return this.store.change(id, (d): Change | null => {
      if (d.status !== 'PROVISIONING') return null;
      return {
        set: { status: 'FAILED', provisionedAttempts: attempts, failedReason: reason },
        history: { status: 'FAILED', actor: PROVISIONING_ACTOR, reason },
        events: (at) => [event('subscription.failed', { ...factsOf(d, at), reason }, this.clock)],
      };
    });
  }
}

export function normalizeName(name: string | null | undefined): string | null {
  return optionalName(name, 'friendlyName', 120) ?? null;
}

function stopAll(services: ServiceEntry[]): { services: ServiceEntry[]; stopped: ServiceEntry[] } {
  const stopped = services.filter((s) => s.status === 'RUNNING');
  return { services: services.map((s) => (s.status === 'RUNNING' ? { ...s, status: 'STOPPED' as const } : s)), stopped };
}
