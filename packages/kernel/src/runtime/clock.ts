import { redisKeys } from '../stores/redis-keys';
import type { Redis } from 'ioredis';
import type { Logger } from './logger';

/**
 * The platform's one notion of "now". Domain code never reads the system clock: it asks
 * `clock.now()`. With TEST_CLOCK=enabled the operator can move time forward; the offset
 * lives in Redis so every process and replica agrees within a second (pub/sub plus a poll).
 */
export interface Clock {
  now(): Date;
  readonly testClock: boolean;
  /** Moves the clock forward to `to`; throws ClockError when `to` lies in the past. */
  advance(to: Date): Promise<Date>;
  /** Called after this process learns of a jump (after its own advance too). */
  onAdvance(listener: (now: Date) => void): () => void;
  /** Re-reads the offset from Redis now (tests and time-driven workers use it). */
  sync(): Promise<void>;
  stop(): Promise<void>;
}

export class ClockError extends Error {}

/** Atomically raises the offset; refuses to move the clock back. Returns the new offset. */
const ADVANCE = `
local cur = tonumber(redis.call('get', KEYS[1]) or '0')
local want = tonumber(ARGV[1])
if want < cur then return {0, tostring(cur)} end
redis.call('set', KEYS[1], ARGV[1])
redis.call('publish', KEYS[2], ARGV[1])
return {1, ARGV[1]}
`;

const systemMs = () => Date.now();

/** A plain system clock: production and TEST_CLOCK=disabled. */
export function systemClock(): Clock {
  return {
    now: () => new Date(systemMs()),
    testClock: false,
    advance: async () => {
      throw new ClockError('the test clock is disabled');
    },
    onAdvance: () => () => undefined,
    sync: async () => undefined,
    stop: async () => undefined,
  };
}

export interface TestClockOptions {
  redis: Redis;
  /** A separate connection for SUBSCRIBE (ioredis puts a subscribed connection in a special mode). */
  subscriber: Redis;
  prefix: string;
  logger?: Logger;
  pollMs?: number;
  /**
   * Pins the clock's starting instant (TEST_CLOCK_START): the first process of a deployment sets
   * the offset so that "now" begins there, whatever the real date; the others read it. Tests pin
   * it per file so that no expectation depends on the day they run. Time still flows from it.
   */
  start?: Date;
}

export async function testClock({ redis, subscriber, prefix, logger, pollMs = 500, start }: TestClockOptions): Promise<Clock> {
  const key = redisKeys(prefix).clockOffset;
  const channel = redisKeys(prefix).clockChanged;
  // NX: only the first process pins; a restarted process keeps the clock where it was moved to.
  if (start) await redis.set(key, String(start.getTime() - systemMs()), 'NX');
  let offset = Number((await redis.get(key)) ?? 0);
  const listeners = new Set<(now: Date) => void>();
  const now = () => new Date(systemMs() + offset);

  const apply = (next: number) => {
    if (next <= offset) return;
    offset = next;
    logger?.info({ now: now().toISOString() }, 'test clock advanced');
    for (const l of listeners) l(now());
  };
  await subscriber.subscribe(channel);
  subscriber.on('message', (ch, msg) => ch === channel && apply(Number(msg)));
  const poll = setInterval(() => {
    redis.get(key).then((v) => apply(Number(v ?? 0)), () => undefined);
  }, pollMs);
  poll.unref();

  return {
    now,
    testClock: true,
    async advance(to) {
      const wanted = to.getTime() - systemMs();
      if (to.getTime() < now().getTime()) {
        throw new ClockError(`the clock cannot move back: it is ${now().toISOString()}, ${to.toISOString()} is earlier`);
      }
      const [ok, cur] = (await redis.eval(ADVANCE, 2, key, channel, String(wanted))) as [number, string];
      if (!ok) throw new ClockError(`the clock cannot move back: another process already moved it past ${to.toISOString()}`);
      apply(Number(cur));
      return now();
    },
    onAdvance(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    async sync() {
      apply(Number((await redis.get(key)) ?? 0));
    },
    async stop() {
      clearInterval(poll);
      await subscriber.unsubscribe(channel).catch(() => undefined);
    },
  };
}

/**
 * Waits until the platform clock reads `at` or later. It re-reads the clock in short steps rather
 * than sleeping once for a computed span: a process that has not yet heard of a jump (its offset
 * arrives by pub/sub or the next poll) would otherwise sleep for the whole span the jump skipped.
 */
export async function sleepUntil(clock: Clock, at: Date, stepMs = 250): Promise<void> {
  await clock.sync();
  for (;;) {
    const left = at.getTime() - clock.now().getTime();
    if (left <= 0) return;
    await new Promise((r) => setTimeout(r, Math.min(left, stepMs)));
  }
}

/**
 * An instant `ms` from now on the system clock, in epoch ms: for transports that schedule in real
 * time (a BullMQ job moved to delayed), never for business dates, which come from the Clock.
 */
export const wallClockIn = (ms: number): number => Date.now() + ms;
