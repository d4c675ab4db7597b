import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redisKeys } from '@csp/kernel';

/** Who tries to sign in as whom: the email (or client id) and the address the attempt came from. */
export interface AttemptKey {
  subject: string;
  address: string;
}

/**
 * One failure, atomically (a crash cannot leave a key without expiry): count it in a sliding
 * window and, from the `max`-th failure on, make this (subject, address) wait base·2^(n−max)
 * ms, capped. KEYS: count, wait. ARGV: window s, max, base ms, cap ms. Returns the count.
 */
const FAIL = `
local n = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[1]))
local max = tonumber(ARGV[2])
if n >= max then
  local ms = math.min(tonumber(ARGV[3]) * 2 ^ (n - max), tonumber(ARGV[4]))
  redis.call('SET', KEYS[2], '1', 'PX', math.floor(ms))
end
return n`;

/**
 * Failed sign-ins per (subject, client address), with exponential backoff: an attacker's address
 * is slowed down, the account itself is never locked, so the owner (or the operator) elsewhere
 * still signs in. Unknown subjects count the same, so the throttle reveals nothing.
 */
export class LoginThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly max = 5,
    private readonly windowSeconds = 900,
    private readonly baseMs = 2_000,
    private readonly capMs = 900_000,
  ) {}

  private keys(k: AttemptKey): [string, string] {
    const h = createHash('sha256').update(`${k.subject.trim().toLowerCase()}|${k.address}`).digest('hex').slice(0, 32);
    return [redisKeys(this.prefix).loginFailures(h), redisKeys(this.prefix).loginWait(h)];
  }

  /** Seconds this (subject, address) must wait before the next try; 0 when it may try now. */
  async waitFor(k: AttemptKey): Promise<number> {
    const ms = await this.redis.pttl(this.keys(k)[1]);
    return ms > 0 ? Math.ceil(ms / 1000) : 0;
  }

  async fail(k: AttemptKey): Promise<void> {
    await this.redis.eval(FAIL, 2, ...this.keys(k), this.windowSeconds, this.max, this.baseMs, this.capMs);
  }

  async succeed(k: AttemptKey): Promise<void> {
    await this.redis.del(...this.keys(k));
  }
}

/** "in 2 s", "in 4 minute(s)". */
export const waitText = (seconds: number) => (seconds < 120 ? `${seconds} s` : `${Math.ceil(seconds / 60)} minute(s)`);
