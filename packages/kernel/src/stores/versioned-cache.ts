import type { Redis } from 'ioredis';
import type { Connection, Schema } from 'mongoose';
import { redisKeys } from './redis-keys';

/**
 * A value read from the store once and kept in this process until the data behind it changes:
 * every writer of that data bumps a version counter in Redis after its store write, and every
 * read compares the counter (one Redis GET, far cheaper than re-reading the collections). A
 * replica therefore never serves a value older than the last applied change, and a client's
 * write is visible to its next read on any replica (the bump happens before the write is
 * acknowledged or the event handled).
 */
export class VersionedCache<T> {
  private held?: { version: string; value: T };
  private loading?: { version: string; promise: Promise<T> };

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly load: () => Promise<T>,
  ) {}

  async get(): Promise<T> {
    let version: string;
    try {
      version = (await this.redis.get(this.key)) ?? '0';
    } catch {
      return this.load(); // Redis unreachable: the store is the truth, uncached
    }
    if (this.held?.version === version) return this.held.value;
    if (this.loading?.version === version) return this.loading.promise;
    // Tagged with the version read before loading: a change during the load makes the next read reload.
    const promise = this.load().then(
      (value) => {
        if (this.loading?.promise === promise) this.loading = undefined;
        this.held = { version, value };
        return value;
      },
      (err) => {
        if (this.loading?.promise === promise) this.loading = undefined;
        throw err;
      },
    );
    this.loading = { version, promise };
    return promise;
  }

  /** After a write of the data behind this value: every process reloads on its next read. */
  async bump(): Promise<void> {
    await this.redis.incr(this.key);
    this.held = undefined;
  }
}

type Bump = () => Promise<void>;
const bumpers = new WeakMap<Connection, Map<string, Bump[]>>();

/** Makes every write through `conn`'s models marked `changesCache(schema, name)` bump this cache. */
export function bumpOnWrite(conn: Connection, name: string, cache: { bump: Bump }): void {
  const byName = bumpers.get(conn) ?? new Map<string, Bump[]>();
  byName.set(name, [...(byName.get(name) ?? []), () => cache.bump()]);
  bumpers.set(conn, byName);
}

const WRITES = ['save', 'insertMany', 'updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne', 'deleteOne', 'deleteMany', 'findOneAndDelete'] as const;

/**
 * Schema plugin: the collection feeds the cached value `name`. Every write through the model (of
 * any kind) bumps the caches registered for `name` on its connection before the write's promise
 * resolves, so a write acknowledged to a client is never followed by a read of the old value,
 * on this replica or another. A write made behind the model's back (`Model.collection`) is not
 * seen: the services write these collections only through their models.
 */
export function changesCache(schema: Schema, name: string): void {
  const bump = async (conn: Connection | undefined) => {
    for (const b of (conn && bumpers.get(conn)?.get(name)) ?? []) await b();
  };
  for (const op of WRITES) {
    // Document hooks see the document, query and model hooks the query or model.
    schema.post(op as 'save', async function (this: unknown) {
      const self = this as { db?: Connection; model?: { db: Connection }; constructor?: { db?: Connection } };
      await bump(self.model?.db ?? self.db ?? self.constructor?.db);
    });
  }
}

/**
 * Documents of collections that change rarely, by `_id`, kept per process: `name` is what
 * their schemas pass to `changesCache`, `load` reads them all.
 */
export function cachedById<D extends { _id: string }>(store: { redis: Redis; prefix: string; conn: Connection }, name: string, load: () => Promise<D[]>) {
  const cache = new VersionedCache(store.redis, redisKeys(store.prefix).cacheVersion(store.conn.name, name), async () => new Map((await load()).map((d) => [d._id, d])));
  bumpOnWrite(store.conn, name, cache);
  return {
    /** In the order asked, null for an unknown id. */
    async byIds(ids: readonly string[]): Promise<Array<D | null>> {
      const docs = await cache.get();
      return ids.map((id) => docs.get(id) ?? null);
    },
  };
}
