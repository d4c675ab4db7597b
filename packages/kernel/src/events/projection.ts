import type { Redis } from 'ioredis';
import type { Model } from 'mongoose';
import { withLock } from '../stores/lock';
import type { Envelope } from './envelope';
import { redisKeys } from '../stores/redis-keys';
import { isDuplicateKey } from '../stores/mongo';
import type { Runtime } from '../runtime/service';

/**
 * Where a read-model document stands in its stream of facts: the time and id of the last event
 * applied to it. Events are ordered by (occurredAt, id); envelope ids are time-ordered (UUIDv7),
 * so two facts of one process in the same millisecond keep the order they were raised in.
 */
export interface ProjectionVersion {
  at?: Date | null;
  eventId?: string | null;
}

/** True when `ev` comes after what `stored` has applied (a replay of the same event does not). */
export function isNewerThan(ev: Pick<Envelope, 'id' | 'occurredAt'>, stored: ProjectionVersion | null | undefined): boolean {
  if (!stored?.at) return true;
  const at = new Date(ev.occurredAt).getTime();
  const was = new Date(stored.at).getTime();
  if (at !== was) return at > was;
  // Written before versions carried the event id: the same instant wins, as it always did.
  return !stored.eventId || ev.id > stored.eventId;
}

/** The update an event makes to one read-model document ($set is merged with the version). */
export interface ProjectionUpdate {
  $set?: Record<string, unknown>;
  $setOnInsert?: Record<string, unknown>;
  $addToSet?: Record<string, unknown>;
  $unset?: Record<string, unknown>;
}

/**
 * The one way a read model applies an event: last writer wins, by event order only. Events
 * arrive late, twice and out of order (retries, replicas, replays); an older fact than the
 * document's is dropped. The read-compare-write runs under the document's short Redis lock,
 * because the local store applies an update by read-then-write (ARCHITECTURE.md).
 */
export class Projector {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Applies `update` to document `id` when `ev` is newer than it; says whether it did. */
  async apply(model: Model<any>, id: string, ev: Pick<Envelope, 'id' | 'occurredAt'>, update: ProjectionUpdate): Promise<boolean> { // eslint-disable-line @typescript-eslint/no-explicit-any
    return withLock(this.redis, this.lockKey(model, id), async () => {
      const stored = await model.findById(id, { at: 1, eventId: 1 }).lean<ProjectionVersion>();
      if (!isNewerThan(ev, stored)) return false;
      const version = { at: new Date(ev.occurredAt), eventId: ev.id };
      await model.updateOne({ _id: id }, { ...update, $set: { ...update.$set, ...version } }, { upsert: true });
      return true;
    });
  }

  /**
   * An order-free fact ($addToSet of a link): applied whenever it comes, without moving the
   * document's version, so it neither loses to nor hides a state fact of another order.
   */
  async accumulate(model: Model<any>, id: string, update: Pick<ProjectionUpdate, '$addToSet' | '$setOnInsert'>): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any
    await withLock(this.redis, this.lockKey(model, id), () => model.updateOne({ _id: id }, update, { upsert: true }));
  }

  private lockKey(model: Model<any>, id: string): string { // eslint-disable-line @typescript-eslint/no-explicit-any
    return redisKeys(this.prefix).readModelLock(model.db.name, model.collection.name, id);
  }
}

/** The version fields a projected document carries: spread into its mongoose schema. */
export const projectionFields = { at: Date, eventId: String } as const;

/**
 * The other way a read model takes an event: a fact written once under its own key (a link, an
 * event's price row). A second delivery finds the key taken and changes nothing.
 */
export async function insertOnce(model: Model<any>, doc: Record<string, unknown> & { _id: string }): Promise<boolean> { // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    await model.create(doc);
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/** The process's projector: read models of one service share its Redis and key prefix. */
export const projectorFor = (rt: Pick<Runtime, 'redis' | 'config'>): Projector => new Projector(rt.redis, rt.config.REDIS_PREFIX);
