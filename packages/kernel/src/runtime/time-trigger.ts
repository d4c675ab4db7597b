import type { Redis } from 'ioredis';
import type { Clock } from './clock';
import type { Logger } from './logger';

export type Cadence = 'day' | 'month';

/** The first instant of the next day/month (UTC) strictly after `t`. */
export function nextBoundary(t: Date, cadence: Cadence): Date {
  return cadence === 'day'
    ? new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate() + 1))
    : new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 1));
}

/** Boundaries crossed in (from, to]: each is one occurrence of the trigger. */
export function boundariesBetween(from: Date, to: Date, cadence: Cadence, max = 400): Date[] {
  const out: Date[] = [];
  for (let b = nextBoundary(from, cadence); b <= to && out.length < max; b = nextBoundary(b, cadence)) out.push(b);
  return out;
}

/** Raises the watermark, never lowers it. */
const RAISE = `
local cur = redis.call('get', KEYS[1])
if (not cur) or tonumber(ARGV[1]) > tonumber(cur) then redis.call('set', KEYS[1], ARGV[1]) end
return 1
`;

/**
 * Time-driven work that follows the platform clock (test clock jumps included): calls
 * `fire(boundary)` for every day/month boundary crossed since the last check. Several
 * replicas may see the same boundary, so `fire` must be idempotent per boundary — in practice
 * it enqueues a BullMQ job whose id names the boundary (e.g. `invoice-run-2026-10`).
 */
export function startTimeTrigger(opts: {
  name: string;
  cadence: Cadence;
  clock: Clock;
  redis: Redis;
  prefix: string;
  logger: Logger;
  fire: (boundary: Date) => Promise<void>;
  pollMs?: number;
}): { check(): Promise<void>; stop(): void } {
  const key = `${opts.prefix}:trigger:${opts.name}:watermark`;
  let running: Promise<void> | undefined;
  const check = (): Promise<void> => {
    running ??= (async () => {
      try {
        const now = opts.clock.now();
        const mark = await opts.redis.get(key);
        // First start: nothing is owed for the past. Afterwards every boundary since the mark
        // fires, then the mark moves; a crash in between re-fires, which `fire` tolerates.
        if (mark) {
          for (const b of boundariesBetween(new Date(Number(mark)), now, opts.cadence)) {
            opts.logger.info({ trigger: opts.name, boundary: b.toISOString() }, 'time trigger fired');
            await opts.fire(b);
          }
        }
        await opts.redis.eval(RAISE, 1, key, String(now.getTime()));
      } catch (err) {
        opts.logger.error({ err, trigger: opts.name }, 'time trigger failed; will retry');
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  const off = opts.clock.onAdvance(() => void check());
  const timer = setInterval(() => void check(), opts.pollMs ?? 15_000);
  timer.unref();
  void check();
  return {
    check,
    stop() {
      off();
      clearInterval(timer);
    },
  };
}
