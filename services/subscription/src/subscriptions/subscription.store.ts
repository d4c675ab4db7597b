import { auditTarget, notFound, type AggregateLocks, type Clock, type Envelope } from '@csp/kernel';
import type { Model, UpdateQuery } from 'mongoose';
import { SUBSCRIPTIONS, type HistoryEntry, type SubscriptionDoc } from './subscription.model';

/** What one change of a subscription writes, in a single document write. */
export interface Change {
  set?: Partial<SubscriptionDoc>;
  history?: Omit<HistoryEntry, 'at'>;
  events?: (at: Date) => Envelope[];
}

/**
 * The one write path of a subscription after its creation: read, decide, write — under the
 * aggregate's Redis lock (the outbox relay takes the same lock), because the local store
 * applies an update by read-then-write and two conditional updates could both win.
 */
export class SubscriptionStore {
  constructor(
    readonly model: Model<SubscriptionDoc>,
    private readonly locks: AggregateLocks,
    private readonly clock: Clock,
  ) {}

  lock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.hold(SUBSCRIPTIONS, id, fn, { ttlMs: 60_000, waitMs: 10_000 });
  }

  /** `decide` sees the current document and returns the change (or null for none). */
  async change(id: string, decide: (doc: SubscriptionDoc) => Promise<Change | null> | Change | null): Promise<SubscriptionDoc> {
    return this.lock(id, async () => {
      const doc = await this.model.findById(id).lean<SubscriptionDoc>();
      if (!doc) throw notFound('Subscription', id);
      // A mutation's record names the subscription's customer, so its users read what was done there.
      auditTarget(id, doc.customerId);
      const change = await decide(doc);
      if (!change) return doc;
      const at = this.clock.now();
      const set = { ...(change.set ?? {}), updatedAt: at };
      const next: SubscriptionDoc = { ...doc, ...set };
      const push: Record<string, unknown> = {};
      if (change.history) {
        const entry = { at, ...change.history };
        push.history = entry;
        next.history = [...doc.history, entry];
      }
      const events = change.events?.(at) ?? [];
      if (events.length) push.outbox = { $each: events };
      const update: UpdateQuery<SubscriptionDoc> = { $set: set };
      if (Object.keys(push).length) update.$push = push as never;
      await this.model.updateOne({ _id: id }, update);
      return next;
    });
  }
}
