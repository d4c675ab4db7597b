import { redisKeys } from '../stores/redis-keys';
import type { Redis } from 'ioredis';
import type { Connection, Query, Schema } from 'mongoose';

/**
 * Outbox writes wake the relay instead of the relay polling the store. Every schema with an
 * embedded `outbox` gets an indexed `hasOutbox` flag, set in the same single-document write that
 * adds events (so a crash between write and relay loses nothing: the relay's slow safety sweep
 * finds the flag with one indexed, pushed-down equality query instead of scanning for
 * `outbox.0`), and a post hook that tells the connection which documents now carry events.
 */
export const OUTBOX_FLAG = 'hasOutbox';
const WRITE_EVENT = 'csp:outbox-write';

/** Which documents of a collection were written with outbox entries (no ids: look at all flagged). */
export interface OutboxWrite {
  collection: string;
  ids?: string[];
}

type Update = Record<string, Record<string, unknown> | unknown> | null;

/** True when an update adds outbox entries (it then also sets the flag). */
function addsOutbox(update: Update): boolean {
  if (!update || Array.isArray(update)) return false;
  const push = update.$push as Record<string, unknown> | undefined;
  const set = update.$set as Record<string, unknown> | undefined;
  const direct = (update as Record<string, unknown>).outbox;
  return !!push?.outbox || (Array.isArray(set?.outbox) && set.outbox.length > 0) || (Array.isArray(direct) && direct.length > 0);
}

const carries = (doc: { outbox?: unknown[] } | null | undefined) => Array.isArray(doc?.outbox) && doc.outbox.length > 0;

function emit(conn: Connection, w: OutboxWrite): void {
  conn.emit(WRITE_EVENT, w);
}

/** Mongoose connection plugin: applies to every schema that has an `outbox` path. */
export function outboxFlagPlugin(schema: Schema): void {
  if (!schema.path('outbox') || schema.path(OUTBOX_FLAG)) return;
  schema.add({ [OUTBOX_FLAG]: { type: Boolean } });
  schema.index({ [OUTBOX_FLAG]: 1 });

  schema.pre('save', function () {
    if (carries(this as never)) this.set(OUTBOX_FLAG, true);
  });
  schema.post('save', function () {
    if (carries(this as never)) emit(this.db, { collection: this.collection.name, ids: [String(this._id)] });
  });
  schema.pre('insertMany', function (docs: Array<Record<string, unknown>>) {
    for (const d of Array.isArray(docs) ? docs : [docs]) if (carries(d)) d[OUTBOX_FLAG] = true;
  });
  schema.post('insertMany', function (docs: unknown) {
    const model = this as unknown as { db: Connection; collection: { name: string } };
    const list = (Array.isArray(docs) ? docs : [docs]) as Array<{ _id: unknown; outbox?: unknown[] }>;
    const ids = list.filter(carries).map((d) => String(d._id));
    if (ids.length) emit(model.db, { collection: model.collection.name, ids });
  });
  type UpdateQuery = Query<unknown, unknown> & { _outboxWrite?: boolean };
  for (const op of ['updateOne', 'updateMany', 'findOneAndUpdate'] as const) {
    schema.pre(op, function (this: UpdateQuery) {
      if (!addsOutbox(this.getUpdate() as Update)) return;
      this.set(OUTBOX_FLAG, true);
      this._outboxWrite = true;
    });
    schema.post(op, function (this: UpdateQuery) {
      if (!this._outboxWrite) return;
      const id = (this.getFilter() as { _id?: unknown })._id;
      emit(this.model.db, { collection: this.model.collection.name, ids: typeof id === 'string' ? [id] : undefined });
    });
  }
}

/** Calls `fn` for every outbox write made through this connection in this process. */
export function onOutboxWrite(conn: Connection, fn: (w: OutboxWrite) => void): () => void {
  conn.on(WRITE_EVENT, fn);
  return () => void conn.off(WRITE_EVENT, fn);
}

/** The Redis channel on which one database's outbox writes reach relays in other processes. */
export const outboxChannel = (prefix: string, db: string) => redisKeys(prefix).outbox(db);

/** Collections a relay in this process drains, per connection (their writes need no Redis hop). */
const relayed = new WeakMap<Connection, Set<string>>();
export function claimRelayed(conn: Connection, collections: string[]): void {
  const set = relayed.get(conn) ?? new Set<string>();
  for (const c of collections) set.add(c);
  relayed.set(conn, set);
}

/**
 * A process that writes outbox documents no relay of its own drains (a worker writing another
 * process's aggregates) tells the other replicas through Redis pub/sub.
 */
export function forwardOutboxWrites(conn: Connection, redis: Redis, prefix: string): () => void {
  return onOutboxWrite(conn, (w) => {
    if (relayed.get(conn)?.has(w.collection)) return;
    redis.publish(outboxChannel(prefix, conn.name), JSON.stringify(w)).catch(() => undefined);
  });
}
