import { redisKeys, withLock } from '@csp/kernel';
import type { Redis } from 'ioredis';

type LockOptions = { ttlMs?: number; waitMs?: number; renew?: boolean };

/** Billing's invoice locks (redis-keys' billing namespace): what domain code holds instead of Redis. */
export class InvoiceLocks {
  private readonly keys: ReturnType<typeof redisKeys>;

  constructor(private readonly redis: Redis, prefix: string) {
    this.keys = redisKeys(prefix);
  }

  /** One attempt at a time issues an invoice. */
  issue<T>(invoiceId: string, fn: () => Promise<T>, opts?: LockOptions): Promise<T> {
    return withLock(this.redis, this.keys.invoiceLock(invoiceId), fn, opts);
  }

  /** One invoice's payments and credit notes change one at a time (balance checks stay true). */
  settle<T>(invoiceId: string, fn: () => Promise<T>, opts?: LockOptions): Promise<T> {
    return withLock(this.redis, this.keys.settleLock(invoiceId), fn, opts);
  }
}
