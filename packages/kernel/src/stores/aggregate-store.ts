import type { Model, UpdateQuery } from 'mongoose';
import type { Envelope } from '../events/envelope';
import type { Clock } from '../runtime/clock';
import type { AggregateLocks } from './lock';

/** What one change of an aggregate writes, in a single document write. */
export interface AggregateChange<T> {
  set?: Partial<T>;
  /** Fields removed. */
  unset?: Array<keyof T & string>;
  /** Entries appended to array fields (a history, a log), told the instant of the change. */
  push?: (at: Date) => Partial<Record<keyof T & string, unknown>>;
  /** The change's events, told the instant of the change; they go into the document's outbox. */
  events?: (at: Date) => Envelope[];
}

interface Stamped {
  _id: string;
  updatedAt?: Date;
}

/**
 * The one write path of an aggregate after its creation: lock, read, decide, write with outbox.
 * Under the aggregate's Redis lock (the outbox relay takes the same lock) because the local
 * store applies an update by read-then-write, so two conditional updates could both win; the
 * change and its events are one single-document write, so no event is lost or raised twice.
 */
export class AggregateStore<T extends Stamped> {
  constructor(
    readonly model: Model<T>,
    private readonly locks: AggregateLocks,
    private readonly clock: Clock,
    private readonly opts: { ttlMs?: number; waitMs?: number; missing: (id: string) => Error },
  ) {}

  lock<R>(id: string, fn: () => Promise<R>): Promise<R> {
    return this.locks.hold(this.model.collection.name, id, fn, { ttlMs: this.opts.ttlMs, waitMs: this.opts.waitMs });
  }

  /**
   * `decide` sees the current document (without its outbox) and returns the change, or null for
   * none; the answer is the document as the change left it.
   */
  async change(id: string, decide: (doc: T) => Promise<AggregateChange<T> | null> | AggregateChange<T> | null): Promise<T> {
    return this.lock(id, async () => {
      const doc = await this.model.findById(id, { outbox: 0 }).lean<T>();
      if (!doc) throw this.opts.missing(id);
      const change = await decide(doc);
      if (!change) return doc;
      const at = this.clock.now();
      const set = { ...(change.set ?? {}), updatedAt: at } as Partial<T>;
      const next: Record<string, unknown> = { ...doc, ...set };
      for (const field of change.unset ?? []) delete next[field];
      const push: Record<string, unknown> = {};
      for (const [field, entry] of Object.entries(change.push?.(at) ?? {})) {
        push[field] = entry;
        next[field] = [...((doc as Record<string, unknown>)[field] as unknown[] | undefined ?? []), entry];
      }
      const events = change.events?.(at) ?? [];
      if (events.length) push.outbox = { $each: events };
      const update: Record<string, unknown> = { $set: set };
      if (change.unset?.length) update.$unset = Object.fromEntries(change.unset.map((f) => [f, 1]));
      if (Object.keys(push).length) update.$push = push;
      await this.model.updateOne({ _id: id } as never, update as UpdateQuery<T>);
      return next as T;
    });
  }
}
