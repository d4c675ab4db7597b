import { event, type UsageRecordFact } from '@csp/events';
import { isDuplicateKey, type Clock } from '@csp/kernel';
import Decimal from 'decimal.js';
import type { Model } from 'mongoose';
import type { SimCloudSubscriptionDoc } from './sim-cloud.model';
import type { UsageBatchDoc } from './usage-batch.model';

const DAY_MS = 24 * 3600 * 1000;
/** One usage event carries at most this many records (a message, not a file). */
const CHUNK = 500;

export const usageDateOf = (dayStart: Date) => dayStart.toISOString().slice(0, 10);

/**
 * The records of the UTC day [dayStart, dayStart + 1 day): for each service that ran during
 * it, the hours it ran as an exact decimal (4 places). Record ids name subscription, service
 * and day, so a repeated report is recognised by billing.
 */
export function dailyUsage(docs: SimCloudSubscriptionDoc[], dayStart: Date): UsageRecordFact[] {
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
      out.push({
        recordId: `sim-${d.subscriptionId}-${s.name}-${usageDate}`,
        subscriptionId: d.subscriptionId,
        meterId: s.meterId,
        quantity: new Decimal(ms).div(3_600_000).toDecimalPlaces(4, Decimal.ROUND_HALF_EVEN).toFixed(4),
        usageDate,
      });
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
): Promise<number> {
  const dayStart = new Date(boundary.getTime() - DAY_MS);
  const docs = await clouds
    .find({ 'services.0': { $exists: true } }, { subscriptionId: 1, services: 1 })
    .lean<SimCloudSubscriptionDoc[]>();
  const records = dailyUsage(docs, dayStart);
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
