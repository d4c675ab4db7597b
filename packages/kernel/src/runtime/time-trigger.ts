import type { Connection, Model } from 'mongoose';
import { docSchema, modelOn } from '../stores/doc-schema';
import type { Clock } from './clock';
import type { Logger } from './logger';
import { startSweeper } from './sweeper';

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

interface WatermarkDoc {
  _id: string;
  /** Every boundary up to this instant has fired. */
  mark: Date;
}

const watermarkSchema = docSchema<WatermarkDoc>({ mark: Date });

function watermarkModel(conn: Connection): Model<WatermarkDoc> {
  return modelOn<WatermarkDoc>(conn, 'TriggerWatermark', watermarkSchema, 'trigger_watermarks');
}

/** A running trigger: `check` fires any boundary the clock has passed; `stop` ends it. */
export interface TimeTrigger {
  check(): Promise<void>;
  stop(): void;
}

/**
 * Time-driven work that follows the platform clock (test clock jumps included): calls
 * `fire(boundary)` for every day/month boundary crossed since the last check. Several
 * replicas may see the same boundary, so `fire` must be idempotent per boundary — in practice
 * it enqueues a BullMQ job whose id names the boundary (e.g. `invoice-run-2026-10`).
 *
 * The watermark lives in the service's own store, not in Redis: a flushed or replaced Redis
 * loses nothing, and a worker that was down over boundaries fires each missed one once when it
 * comes back. The very first start of a deployment owes nothing for the time before it.
 */
export function startTimeTrigger(opts: {
  name: string;
  cadence: Cadence;
  clock: Clock;
  store: Connection;
  logger: Logger;
  fire: (boundary: Date) => Promise<void>;
  pollMs?: number;
}): TimeTrigger {
  const marks = watermarkModel(opts.store);
  const sweeper = startSweeper({
    name: `time trigger ${opts.name}`,
    clock: opts.clock,
    logger: opts.logger,
    everyMs: opts.pollMs ?? 15_000,
    sweep: async () => {
      const now = opts.clock.now();
      // Insert-if-absent: the first replica ever to start sets the initial mark for all.
      await marks.updateOne({ _id: opts.name }, { $setOnInsert: { mark: now } }, { upsert: true });
      const doc = await marks.findById(opts.name).lean<WatermarkDoc>();
      // Every boundary since the mark fires, the mark moving past each: a crash in between
      // re-fires that one boundary, which `fire` tolerates; none is skipped.
      for (const b of boundariesBetween(doc!.mark, now, opts.cadence)) {
        opts.logger.info({ trigger: opts.name, boundary: b.toISOString() }, 'time trigger fired');
        await opts.fire(b);
        await marks.updateOne({ _id: opts.name, mark: { $lt: b } }, { $set: { mark: b } });
      }
    },
  });
  return { check: sweeper.sweep, stop: sweeper.stop };
}
