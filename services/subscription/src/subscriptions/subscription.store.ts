import { AggregateStore, auditTarget, notFound, type AggregateLocks, type Clock, type Envelope } from '@csp/kernel';
import type { Model } from 'mongoose';
import type { HistoryEntry, SubscriptionDoc } from './subscription.model';

/** What one change of a subscription writes, in a single document write. */
export interface Change {
  set?: Partial<SubscriptionDoc>;
  history?: Omit<HistoryEntry, 'at'>;
  events?: (at: Date) => Envelope[];
}

/**
 * The one write path of a subscription after its creation: the kernel's aggregate store (lock,
 * read, decide, write with outbox), each change with its history entry.
 */
export class SubscriptionStore {
  private readonly store: AggregateStore<SubscriptionDoc>;

  constructor(
    readonly model: Model<SubscriptionDoc>,
    locks: AggregateLocks,
    clock: Clock,
  ) {
    this.store = new AggregateStore(model, locks, clock, { ttlMs: 60_000, waitMs: 10_000, missing: (id) => notFound('Subscription', id) });
  }

  /** `decide` sees the current document and returns the change (or null for none). */
  change(id: string, decide: (doc: SubscriptionDoc) => Promise<Change | null> | Change | null): Promise<SubscriptionDoc> {
    return this.store.change(id, async (doc) => {
      // A mutation's record names the subscription's customer, so its users read what was done there.
      auditTarget(id, doc.customerId);
      const change = await decide(doc);
      if (!change) return null;
      const { history } = change;
      return { set: change.set, events: change.events, ...(history ? { push: (at: Date) => ({ history: { at, ...history } }) } : {}) };
    });
  }
}
