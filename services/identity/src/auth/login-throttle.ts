import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Counts failed sign-ins per email (known or not, so the lock itself reveals nothing).
 * After `max` failures in `windowSeconds` the email is locked until the window ends.
 */
export class LoginThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly max = 5,
    private readonly windowSeconds = 900,
  ) {}

  private key(email: string): string {
    return `${this.prefix}:login-failures:${createHash('sha256').update(email).digest('hex').slice(0, 32)}`;
  }

  /** Seconds until the lock lifts, or 0 when sign-in may be tried. */
  async lockedFor(email: string): Promise<number> {
    const [count, ttl] = await Promise.all([this.redis.get(this.key(email)), this.redis.ttl(this.key(email))]);
    return Number(count ?? 0) >= this.max ? Math.max(ttl, 1) : 0;
  }

  async fail(email: string): Promise<void> {
    const key = this.key(email);
    const n = await this.redis.incr(key);
    if (n === 1) await this.redis.expire(key, this.windowSeconds);
  }

  async succeed(email: string): Promise<void> {
    await this.redis.del(this.key(email));
  }
}
