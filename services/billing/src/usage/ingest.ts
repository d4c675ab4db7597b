import type { UsageRecordFact } from '@csp/events';
import { badInput, isDuplicateKey, type Clock } from '@csp/kernel';
import type { Model } from 'mongoose';
import { PriceBook } from '../catalog/price-book';
import { dayOf, isDay } from '../money/dates';
import { DECIMAL_STRING } from '../money/decimal';
import type { SubFactDoc } from '../subscriptions/sub-fact.model';
import { subViews } from '../subscriptions/timeline';
import { usageRows } from '../metrics';
import type { UsageRecordDoc } from './usage-record.model';

export const MAX_BATCH = 10_000;

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: Array<{ index: number; reason: string; awaitingFacts?: boolean }>;
}

export interface IngestDeps {
  clock: Clock;
  usage: Model<UsageRecordDoc>;
  subFacts: Model<SubFactDoc>;
  loadPriceBook: () => Promise<PriceBook>;
  /** Told the customers whose usage was stored (budget checks). */
  accepted?: (customerIds: string[]) => Promise<void>;
}

/**
 * The one way usage enters billing (the recordUsage mutation and usage.reported events).
 * Four store round trips per batch whatever its size: facts of the named subscriptions,
 * the price book, then one unordered bulk insert whose duplicate-key errors are the repeats.
 */
export async function ingestUsage(deps: IngestDeps, rows: UsageRecordFact[]): Promise<IngestResult> {
  if (rows.length > MAX_BATCH) throw badInput(`A batch holds at most ${MAX_BATCH} records; this one has ${rows.length}. Nothing was stored.`, 'records');
  const today = dayOf(deps.clock.now());
  const subIds = [...new Set(rows.map((r) => r.subscriptionId).filter((id) => typeof id === 'string'))];
  const [facts, book] = await Promise.all([
    subIds.length ? deps.subFacts.find({ subscriptionId: { $in: subIds } }).lean<SubFactDoc[]>() : Promise.resolve([]),
    deps.loadPriceBook(),
  ]);
  const subs = subViews(facts);
  const receivedAt = deps.clock.now();
  const rejected: IngestResult['rejected'] = [];
  const docs: UsageRecordDoc[] = [];

  rows.forEach((r, index) => {
    const reason = rowProblem(r, today, subs, book);
    // Unknown or not yet active: perhaps only because that subscription's events are still on their way.
    const sub = subs.get(r.subscriptionId);
    if (reason) rejected.push({ index, reason, ...(!sub || !sub.activatedOn ? { awaitingFacts: true } : {}) });
    else
      docs.push({
        _id: r.recordId,
        subscriptionId: r.subscriptionId,
        meterId: r.meterId,
        quantity: r.quantity,
        usageDate: r.usageDate,
        month: r.usageDate.slice(0, 7),
        receivedAt,
      });
  });

  let duplicates = 0;
  if (docs.length) {
    try {
      await deps.usage.collection.insertMany(docs as never[], { ordered: false });
    } catch (err) {
      const writeErrors = (err as { writeErrors?: Array<{ code?: number }> }).writeErrors;
      if (!isDuplicateKey(err) || !writeErrors) throw err;
      const list = Array.isArray(writeErrors) ? writeErrors : [writeErrors];
      if (list.some((w) => w.code !== 11000)) throw err;
      duplicates = list.length;
    }
  }
  if (docs.length > duplicates && deps.accepted) await deps.accepted([...new Set(docs.map((d) => subs.get(d.subscriptionId)!.customerId))]);
  usageRows.inc({ outcome: 'accepted' }, docs.length - duplicates);
  usageRows.inc({ outcome: 'duplicate' }, duplicates);
  usageRows.inc({ outcome: 'rejected' }, rejected.length);
  return { accepted: docs.length - duplicates, duplicates, rejected };
}

function rowProblem(r: UsageRecordFact, today: string, subs: ReturnType<typeof subViews>, book: PriceBook): string | undefined {
  if (typeof r.recordId !== 'string' || !r.recordId || r.recordId.length > 200) return 'recordId is missing or longer than 200 characters';
  if (typeof r.quantity !== 'string' || !DECIMAL_STRING.test(r.quantity)) return `quantity ${JSON.stringify(r.quantity)} is not a decimal`;
  if (r.quantity.startsWith('-')) return `quantity ${r.quantity} is negative`;
  if (typeof r.usageDate !== 'string' || !isDay(r.usageDate)) return `usageDate ${JSON.stringify(r.usageDate)} is not a day (YYYY-MM-DD)`;
  if (r.usageDate > today) return `usageDate ${r.usageDate} is in the future (today is ${today})`;
  const sub = subs.get(r.subscriptionId);
  if (!sub) return `unknown subscription ${r.subscriptionId}`;
  if (sub.billingType !== 'USAGE') return `subscription ${r.subscriptionId} is not USAGE-billed`;
  if (!sub.activatedOn || r.usageDate < sub.activatedOn) return `usageDate ${r.usageDate} is before the subscription was activated${sub.activatedOn ? ` (${sub.activatedOn})` : ''}`;
  if (sub.cancelledOn && r.usageDate > sub.cancelledOn) return `usageDate ${r.usageDate} is after the subscription was cancelled (${sub.cancelledOn})`;
  if (!book.knowsMeter(r.meterId)) return `unknown meter ${r.meterId}`;
  if (!book.rate(sub.market, r.meterId, r.usageDate)) return `meter ${r.meterId} is not in the rate card of market ${sub.market} in force on ${r.usageDate}`;
  return undefined;
}
