import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export class LockBusyError extends Error {
  constructor(readonly key: string) {
    super(`resource is busy: ${key}`);
  }
}

/**
 * A short Redis lock around one aggregate's read-modify-write. The local store applies an
 * update by read-then-write, so two writers of one document must not overlap (ARCHITECTURE.md).
 * Waits up to `waitMs` for the lock, then throws LockBusyError.
 */
export async function withLock<T>(
  redis: Redis,
  key: string,
  fn: () => Promise<T>,
  { ttlMs = 10_000, waitMs = 3_000 }: { ttlMs?: number; waitMs?: number } = {},
): Promise<T> {
  const token = randomUUID();
  const deadline = process.hrtime.bigint() + BigInt(waitMs) * 1_000_000n;
  let delay = 5;
  while ((await redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') {
    if (process.hrtime.bigint() > deadline) throw new LockBusyError(key);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 100);
  }
  try {
    return await fn();
  } finally {
    await redis.eval(RELEASE, 1, key, token).catch(() => undefined);
  }
}
