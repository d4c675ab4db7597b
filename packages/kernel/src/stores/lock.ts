import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redisKeys } from './redis-keys';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

export class LockBusyError extends Error {
  constructor(readonly key: string) {
    super(`resource is busy: ${key}`);
  }
}

/**
 * A short Redis lock around one aggregate's read-modify-write. The local store applies an
 * update by read-then-write, so two writers of one document must not overlap (ARCHITECTURE.md).
 * Waits up to `waitMs` for the lock, then throws LockBusyError. With `renew`, the lock is
 * extended every third of `ttlMs` while `fn` runs (as BullMQ extends a job's lock), so long work
 * keeps it; a holder that dies stops renewing and its lock lapses after `ttlMs`.
 */
export async function withLock<T>(
  redis: Redis,
  key: string,
  fn: () => Promise<T>,
  { ttlMs = 10_000, waitMs = 3_000, renew = false }: { ttlMs?: number; waitMs?: number; renew?: boolean } = {},
): Promise<T> {
  const token = randomUUID();
  const deadline = process.hrtime.bigint() + BigInt(waitMs) * 1_000_000n;
  let delay = 5;
  while ((await redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') {
    if (process.hrtime.bigint() > deadline) throw new LockBusyError(key);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 100);
  }
  const renewal = renew ? setInterval(() => void redis.eval(RENEW, 1, key, token, String(ttlMs)).catch(() => undefined), Math.max(50, Math.floor(ttlMs / 3))) : undefined;
  renewal?.unref();
  try {
    return await fn();
  } finally {
    if (renewal) clearInterval(renewal);
    await redis.eval(RELEASE, 1, key, token).catch(() => undefined);
  }
}

/**
 * The aggregate locks of one deployment (redis-keys' `lock` namespace): what domain code holds
 * instead of the Redis connection and the prefix, so it can lock a document and nothing else.
 */
export interface AggregateLocks {
  hold<T>(collection: string, id: string, fn: () => Promise<T>, opts?: { ttlMs?: number; waitMs?: number; renew?: boolean }): Promise<T>;
}

export function aggregateLocks(redis: Redis, prefix: string): AggregateLocks {
  const keys = redisKeys(prefix);
  return { hold: (collection, id, fn, opts) => withLock(redis, keys.lock(collection, id), fn, opts) };
}
