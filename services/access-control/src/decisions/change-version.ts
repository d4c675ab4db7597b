import { redisKeys } from '@csp/kernel';
import type { Redis } from 'ioredis';

/**
 * A deployment-wide counter bumped after every change that can alter a decision (grant,
 * revoke, membership, relationship, GDAP). Each process compares it with the version its
 * cached decisions were computed at, so a change applies to the very next request anywhere.
 */
export class ChangeVersion {
  private readonly key: string;

  constructor(private readonly redis: Redis, prefix: string) {
    this.key = redisKeys(prefix).decisionVersion;
  }

  current(): Promise<string> {
    return this.redis.get(this.key).then((v) => v ?? '0');
  }

  async bump(): Promise<void> {
    await this.redis.incr(this.key);
  }
}
