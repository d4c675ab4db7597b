import type { Redis } from 'ioredis';

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
