import { createHash } from 'node:crypto';
import { event, type UsageRecordFact } from '@csp/events';
import { isDuplicateKey, type Clock } from '@csp/kernel';
import Decimal from 'decimal.js';
import type { Model } from 'mongoose';
import type { MeterFact } from '../readmodel/readmodel.models';
import type { SimCloudSubscriptionDoc } from './sim-cloud.model';
import type { UsageBatchDoc } from './usage-batch.model';

const DAY_MS = 24 * 3600 * 1000;
/** One usage event carries at most this many records (a message, not a file). */
const CHUNK = 500;

export const usageDateOf = (dayStart: Date) => dayStart.toISOString().slice(0, 10);

/** A stable number in [0, 1) from a string: the same service and day always use the same amount. */
function unitNoise(key: string): Decimal {
  return new Decimal(parseInt(createHash('sha256').update(key).digest('hex').slice(0, 8), 16)).div(0x100000000);
}

/**
 * How much a service consumed in a day it ran `ms` milliseconds of, in its meter's unit:
 * hours for hourly meters; for monthly units (GB/Month) a 10-500 GB footprint prorated per
 * day; for count units (executions, GB-seconds, GB transferred) a 1-100 amount scaled by uptime.
 */
export function quantityFor(unit: string | undefined, ms: number, key: string): string {
  const share = new Decimal(ms).div(DAY_MS);
  let q: Decimal;
  if (!unit || /hour/i.test(unit)) q = new Decimal(ms).div(3_600_000);
  else if (/month/i.test(unit)) q = unitNoise(key).mul(490).add(10).mul(share).div(30);
  else q = unitNoise(key).mul(99).add(1).mul(share);
  return q.toDecimalPlaces(4, Decimal.ROUND_HALF_EVEN).toFixed(4);
}

/**
 * The records of the UTC day [dayStart, dayStart + 1 day): for each service that ran during
 * it, its consumption in the meter's unit as an exact decimal (4 places). Record ids name
 * subscription, service and day, so a repeated report is recognised by billing.
 */
export function dailyUsage(docs: SimCloudSubscriptionDoc[], dayStart: Date, units: Map<string, string> = new Map()): UsageRecordFact[] {
  const from = dayStart.getTime();
  const to = from + DAY_MS;
  const usageDate = usageDateOf(dayStart);
  const out: UsageRecordFact[] = [];
  for (const d of docs) {
    for (const s of d.services) {
      let ms = 0;
      for (const r of s.runs) {
        const a = Math.max(from, new Date(r.from).getTime());
        const b = Math.min(to, r.to ? new Date(r.to).getTime() : Infinity);
        if (b > a) ms += b - a;
      }
      if (ms <= 0) continue;
      const recordId = `sim-${d.subscriptionId}-${s.name}-${usageDate}`;
      out.push({ recordId, subscriptionId: d.subscriptionId, meterId: s.meterId, quantity: quantityFor(units.get(s.meterId), ms, recordId), usageDate });
    }
  }
  return out;
}

/**
 * Fired for each day boundary the platform clock crosses: reports the day that just ended as
 * `usage.reported` events, through the outbox of a batch document whose id names the day and
 * chunk (inserting it twice is a duplicate key: the report is made once).
 */
export async function reportDailyUsage(
  boundary: Date,
  clouds: Model<SimCloudSubscriptionDoc>,
  batches: Model<UsageBatchDoc>,
  clock: Clock,
  meters?: Model<MeterFact>,
): Promise<number> {
  const dayStart = new Date(boundary.getTime() - DAY_MS);
  const docs = await clouds
    .find({ 'services.0': { $exists: true } }, { subscriptionId: 1, services: 1 })
    .lean<SimCloudSubscriptionDoc[]>();
  const meterIds = [...new Set(docs.flatMap((d) => d.services.map((s) => s.meterId)))];
  const known = meters && meterIds.length ? await meters.find({ meterId: { $in: meterIds } }, { meterId: 1, unit: 1 }).lean<MeterFact[]>() : [];
  const units = new Map(known.filter((m) => m.unit).map((m) => [m.meterId, m.unit!]));
  // Sorted by record id: a retry after a partial failure cuts the same chunks, so a chunk that was
  // already written (its id a duplicate key) holds exactly the records it held then — none is lost.
  const records = dailyUsage(docs, dayStart, units).sort((a, b) => (a.recordId < b.recordId ? -1 : a.recordId > b.recordId ? 1 : 0));
  const usageDate = usageDateOf(dayStart);
  for (let i = 0; i * CHUNK < records.length; i++) {
    const chunk = records.slice(i * CHUNK, (i + 1) * CHUNK);
    const id = `usage-${usageDate}-${i}`;
    try {
      await batches.create({
        _id: id,
        usageDate,
        records: chunk.length,
        createdAt: clock.now(),
        outbox: [event('usage.reported', { records: chunk }, clock, `sim-${id}`)],
      });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  return records.length;
}
