import { event } from '@csp/events';
import { badInput, optionalName } from '@csp/kernel';
import type { CloudConnector } from '../cloud/connector';
import { factsOf } from './facts';
import type { ServiceEntry, SubscriptionDoc, SubscriptionStatus } from './subscription.model';
import type { Change, SubscriptionStore } from './subscription.store';

export const PROVISIONING_ACTOR = 'system:provisioning';

/** Partner offers never reach the vendor's cloud: their lifecycle is the record alone. */
const vendorSide = (doc: SubscriptionDoc) => doc.billingType !== 'PARTNER';

const illegal = (doc: SubscriptionDoc, what: string, allowed: SubscriptionStatus[]) =>
  badInput(`Cannot ${what} subscription ${doc._id}: it is ${doc.status} (only ${allowed.join(' or ')} can be).`, 'id');

/**
 * The subscription state machine: PROVISIONING → ACTIVE ⇄ SUSPENDED → CANCELLED, and FAILED;
 * a MANUAL partner offer starts in PENDING_FULFILMENT instead and becomes ACTIVE when fulfilled.
 * Nothing becomes ACTIVE before the partner's OWNER grant is in force (OwnerGrant).
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
      if (doc.status === 'CANCELLED' || doc.status === 'FAILED') throw illegal(doc, 'change', ['PROVISIONING', 'PENDING_FULFILMENT', 'ACTIVE', 'SUSPENDED']);
      const set: Partial<SubscriptionDoc> = {};
      let previous: number | undefined;
      if (input.quantity != null && input.quantity !== doc.quantity) {
        if (doc.billingType === 'PARTNER' && doc.partnerChargeType !== 'MONTHLY') {
          throw badInput('A ONE_TIME partner offer is charged once for the quantity ordered; its quantity does not change.', 'quantity');
        }
        if (doc.billingType === 'USAGE') throw badInput('Only LICENSE subscriptions have a quantity to change; usage subscriptions are always 1.', 'quantity');
        if (doc.status !== 'ACTIVE') throw illegal(doc, 'change the quantity of', ['ACTIVE']);
        if (!Number.isInteger(input.quantity) || input.quantity < doc.minQuantity || input.quantity > doc.maxQuantity) {
          throw badInput(`quantity must be between ${doc.minQuantity} and ${doc.maxQuantity} for this offer; got ${input.quantity}.`, 'quantity');
        }
        if (vendorSide(doc)) await this.cloud.changeQuantity(doc._id, input.quantity);
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
      if (vendorSide(doc)) await this.cloud.suspend(doc._id);
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
      if (vendorSide(doc)) await this.cloud.reactivate(doc._id);
      return {
        set: { status: 'ACTIVE' },
        history: { status: 'ACTIVE', actor, reason: 'reactivated' },
        events: (at) => [event('subscription.reactivated', factsOf(doc, at), this.clock)],
      };
    });
  }

  /** Any time (pay as you go): usage accrued until now stays billable. Its add-ons end with it. */
  async cancel(id: string, actor: string, reason?: string) {
    const doc = await this.store.change(id, async (doc) => {
      if (doc.status === 'CANCELLED' || doc.status === 'FAILED') throw illegal(doc, 'cancel', ['PROVISIONING', 'PENDING_FULFILMENT', 'ACTIVE', 'SUSPENDED']);
      // A PROVISIONING one may have no cloud subscription yet: cancel is a no-op there, and the
      // provisioning job, finding it CANCELLED, cancels whatever it created.
      if (vendorSide(doc)) await this.cloud.cancel(doc._id);
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
    await this.endAddOns(doc, actor);
    return doc;
  }

  /**
   * A MANUAL partner offer's partner delivered it: PENDING_FULFILMENT → ACTIVE. Billing charges
   * a MONTHLY one from this day. The caller first makes sure the partner's OWNER grant is in
   * force (OwnerGrant.require): ACTIVE means usable.
   */
  fulfil(id: string, actor: string, note?: string) {
    const trimmed = note?.trim() || undefined;
    if (trimmed && trimmed.length > 500) throw badInput('note is at most 500 characters.', 'note');
    return this.store.change(id, (doc): Change => {
      if (doc.billingType !== 'PARTNER') throw badInput(`Subscription ${doc._id} is a vendor subscription: the vendor's cloud provisions it, it is not fulfilled by hand.`, 'id');
      if (doc.status !== 'PENDING_FULFILMENT') throw illegal(doc, 'fulfil', ['PENDING_FULFILMENT']);
      return {
        set: { status: 'ACTIVE' },
        history: { status: 'ACTIVE', actor, reason: trimmed ? `fulfilled: ${trimmed}` : 'fulfilled' },
        events: (at) => [
          event('subscription.activated', { ...factsOf(doc, at), adminAgentsGroupId: doc.adminAgentsGroupId }, this.clock),
          event(
            'subscription.fulfilled',
            { subscriptionId: doc._id, customerId: doc.customerId, partnerId: doc.partnerId, offerId: doc.offerId, ...(trimmed ? { note: trimmed } : {}), fulfilledBy: actor, at: at.toISOString() },
            this.clock,
          ),
        ],
      };
    });
  }

  /**
   * Add-ons end with their base subscription. Each is cancelled in its own write; should this
   * stop half-way, cancelling the base again is refused, so an add-on left behind is cancelled
   * by hand (it is listed with the customer's subscriptions).
   */
  private async endAddOns(base: SubscriptionDoc, actor: string): Promise<void> {
    const addOns = await this.store.model
      .find({ attachedToSubscriptionId: base._id, status: { $nin: ['CANCELLED', 'FAILED'] } }, { _id: 1 })
      .lean<Array<{ _id: string }>>();
    for (const a of addOns) {
      await this.cancel(a._id, actor, `ends with subscription ${base._id} (${base.status.toLowerCase()})`).catch((err) => {
        // Cancelled meanwhile by someone else: nothing left to do.
        if (!(err instanceof Error && /Cannot cancel/.test(err.message))) throw err;
      });
    }
  }

  /**
   * The provisioning job succeeded and the partner's OWNER grant is in force (an AUTOMATIC
   * partner offer needs only the grant). Returns false when the subscription left PROVISIONING meanwhile.
   */
  async activate(id: string, attempts: number): Promise<{ activated: boolean; status: SubscriptionStatus }> {
    let activated = false;
    const doc = await this.store.change(id, (d): Change | null => {
      if (d.status !== 'PROVISIONING') return null;
      activated = true;
      return {
        set: { status: 'ACTIVE', provisionedAttempts: attempts },
        history: {
          status: 'ACTIVE',
          actor: PROVISIONING_ACTOR,
          reason: vendorSide(d) ? `provisioned after ${attempts} attempt${attempts === 1 ? '' : 's'}` : 'fulfilled automatically',
        },
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

  /** The last provisioning attempt failed. Its add-ons end with it. */
  async fail(id: string, attempts: number, reason: string) {
    const doc = await this.store.change(id, (d): Change | null => {
      if (d.status !== 'PROVISIONING') return null;
      return {
        set: { status: 'FAILED', provisionedAttempts: attempts, failedReason: reason },
        history: { status: 'FAILED', actor: PROVISIONING_ACTOR, reason },
        events: (at) => [event('subscription.failed', { ...factsOf(d, at), reason }, this.clock)],
      };
    });
    if (doc.status === 'FAILED') await this.endAddOns(doc, PROVISIONING_ACTOR);
    return doc;
  }
}

export function normalizeName(name: string | null | undefined): string | null {
  return optionalName(name, 'friendlyName', 120) ?? null;
}

function stopAll(services: ServiceEntry[]): { services: ServiceEntry[]; stopped: ServiceEntry[] } {
  const stopped = services.filter((s) => s.status === 'RUNNING');
  return { services: services.map((s) => (s.status === 'RUNNING' ? { ...s, status: 'STOPPED' as const } : s)), stopped };
}
