import type { UsageRecordFact } from '@csp/events';
import { badInput, BOUNDS, forbidden, staffAllows, type Caller, crashPoint, decimalProblem, duplicatesOf, newId, type Clock, type Logger } from '@csp/kernel';
import type { Model } from 'mongoose';
import { PriceBook } from '../catalog/price-book';
import { dayOf, isDay } from '../money/dates';
import type { SubFactDoc } from '../subscriptions/sub-fact.model';
import { subViews } from '../subscriptions/timeline';
import { usageRows } from '../metrics';
import type { UsageMonths } from './usage-months';
import type { UsageRecordDoc } from './usage-record.model';

export const MAX_BATCH = 10_000;

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: Array<{ index: number; reason: string; awaitingFacts?: boolean }>;
}

/**
 * Who records usage, which decides what it may write and whose key space its recordIds live in.
 * The vendor (operator, its unbound connector, the cloud's usage.reported events) writes for
 * every subscription; a partner-bound client only for its own partner's subscriptions, and on the
 * vendor's meters only when granted (scope usage:vendor-meters).
 */
export interface UsageWriter {
  /** "vendor", or the partner id of a partner-bound client. */
  id: string;
  partnerId?: string;
  vendorMeters: boolean;
}
export const VENDOR_WRITER: UsageWriter = { id: 'vendor', vendorMeters: true };
export const VENDOR_METERS_SCOPE = 'usage:vendor-meters';

/**
 * Who may record usage and as which writer: the operator or a client-credential token with
 * usage:write (the staff-role table's recordUsage), bound to its partner when the token is.
 * The recordUsage mutation and the streaming endpoint both ask this.
 */
export function usageWriterOf(caller: Caller): UsageWriter {
  if (!staffAllows(caller, 'recordUsage') || !(caller.kind === 'OPERATOR' || caller.kind === 'SERVICE')) {
    throw forbidden('Only the vendor operator or the usage connector (scope usage:write) may record usage.');
  }
  return caller.partnerId ? { id: caller.partnerId, partnerId: caller.partnerId, vendorMeters: caller.scopes.includes(VENDOR_METERS_SCOPE) } : VENDOR_WRITER;
}

/**
 * Idempotency key of a stored row, unique per writer: the vendor's ids are stored as they are
 * (as before), a partner's behind its id and a unit separator, which no recordId may hold.
 */
export const usageKey = (writer: UsageWriter, recordId: string) => (writer.partnerId ? `${writer.partnerId}\u001f${recordId}` : recordId);

export interface IngestDeps {
  clock: Clock;
  usage: Model<UsageRecordDoc>;
  subFacts: Model<SubFactDoc>;
  loadPriceBook: () => Promise<PriceBook>;
  usageMonths: UsageMonths;
  logger?: Pick<Logger, 'warn'>;
  /** Told the customers whose usage was stored (budget checks). */
  accepted?: (customerIds: string[]) => Promise<void>;
}

/**
 * The one way usage enters billing (the recordUsage mutation, the usage stream and usage.reported
 * events). A few store round trips per batch whatever its size: facts of the named subscriptions,
 * the price book, the batch announced, then one unordered bulk insert whose duplicate-key errors
 * are the repeats; then four per (subscription, meter, month) the batch touches, to fold it into
 * the totals (from the rows in hand: none is read back or rewritten).
 */
/**
 * Folding the stored rows into the totals (and the budget checks after it): awaited before the
 * answer, or handed to `later` by a caller that stores its next batch meanwhile (the bulk stream).
 * Readers count a batch's rows from their insert on, folded or not, so either way the answer
 * shows the usage on the next read.
 */
export type SettleLater = (settle: () => Promise<void>) => void;

export async function ingestUsage(deps: IngestDeps, rows: UsageRecordFact[], writer: UsageWriter = VENDOR_WRITER, later?: SettleLater): Promise<IngestResult> {
  return storeUsage(deps, await prepareUsage(deps, rows, writer), later);
}

/** A batch checked and ready to store: its documents (received when stored) and its rejections. */
export interface PreparedUsage {
  docs: Array<UsageRecordDoc & { batch: string }>;
  rejected: IngestResult['rejected'];
  subs: ReturnType<typeof subViews>;
}

/**
 * The first half of ingestUsage, which stores nothing: the named subscriptions' facts read and
 * every row checked. The bulk stream prepares a batch while the one before it is stored.
 */
export async function prepareUsage(deps: IngestDeps, rows: UsageRecordFact[], writer: UsageWriter = VENDOR_WRITER): Promise<PreparedUsage> {
  if (rows.length > MAX_BATCH) throw badInput(`A batch holds at most ${MAX_BATCH} records; this one has ${rows.length}. Nothing was stored.`, 'records');
  const today = dayOf(deps.clock.now());
  const subIds = [...new Set(rows.map((r) => r.subscriptionId).filter((id) => typeof id === 'string'))];
  const [facts, book] = await Promise.all([
    subIds.length ? deps.subFacts.find({ subscriptionId: { $in: subIds } }).lean<SubFactDoc[]>() : Promise.resolve([]),
    deps.loadPriceBook(),
  ]);
  const subs = subViews(facts);
  // Stamped when stored (storeUsage): which run's window a row falls in is decided by then.
  const receivedAt = new Date(0);
  const batch = newId('ub');
  const rejected: IngestResult['rejected'] = [];
  const docs: Array<UsageRecordDoc & { batch: string }> = [];

  rows.forEach((r, index) => {
    const reason = rowProblem(r, today, subs, book, writer);
    // Unknown or not yet active: perhaps only because that subscription's events are still on their way.
    const sub = subs.get(r.subscriptionId);
    if (reason) rejected.push({ index, reason, ...(!sub || !sub.activatedOn ? { awaitingFacts: true } : {}) });
    else
      docs.push({
        _id: usageKey(writer, r.recordId),
        writer: writer.id,
        recordId: r.recordId,
        subscriptionId: r.subscriptionId,
        meterId: r.meterId,
        quantity: r.quantity,
        usageDate: r.usageDate,
        month: r.usageDate.slice(0, 7),
        receivedAt,
        batch,
      });
  });

  return { docs, rejected, subs };
}

/** ingestUsage in its two halves (the bulk stream overlaps them across batches). */
export interface UsageBatches {
  prepare(rows: UsageRecordFact[], writer: UsageWriter): Promise<PreparedUsage>;
  store(prepared: PreparedUsage, later?: SettleLater): Promise<IngestResult>;
}

/** The second half: the batch announced, inserted (repeats are duplicates) and folded into the totals. */
export async function storeUsage(deps: IngestDeps, prepared: PreparedUsage, later?: SettleLater): Promise<IngestResult> {
  const { docs, rejected, subs } = prepared;
  const receivedAt = deps.clock.now();
  for (const d of docs) d.receivedAt = receivedAt;
  let duplicates = 0;
  // Positions of the repeats among docs, when the store names them: the rest are this batch's rows.
  let repeats: Set<number> | undefined = new Set();
  if (docs.length) {
    await deps.usageMonths.announce(docs, receivedAt);
    try {
      await deps.usage.collection.insertMany(docs as never[], { ordered: false });
    } catch (err) {
      const dup = duplicatesOf(err);
      if (!dup) throw err;
      duplicates = dup.count;
      repeats = dup.indexes;
    }
  }
  crashPoint('usage.inserted');
  // This batch's own rows (repeats keep their first batch: the sweep folds those of a dead attempt),
  // added from memory when the store said which were repeats, else read back.
  // The rows are stored and read as rows until folded, so a fold that cannot run now (its group's
  // lock busy under contention) does not fail the batch: the sweep folds it later.
  const inserted = repeats && docs.filter((_, i) => !repeats!.has(i));
  const settle = async () => {
    await deps.usageMonths.fold(docs, inserted).catch((err) => deps.logger?.warn({ err }, 'usage fold deferred to the sweep'));
    // Replays too: an attempt that died after its insert and before this call left the budget
    // check undone, and its retry finds every row a duplicate. Checks raise each alert once.
    if (docs.length && deps.accepted) await deps.accepted([...new Set(docs.map((d) => subs.get(d.subscriptionId)!.customerId))]);
  };
  if (later) later(settle);
  else await settle();
  usageRows.inc({ outcome: 'accepted' }, docs.length - duplicates);
  usageRows.inc({ outcome: 'duplicate' }, duplicates);
  usageRows.inc({ outcome: 'rejected' }, rejected.length);
  return { accepted: docs.length - duplicates, duplicates, rejected };
}

function rowProblem(r: UsageRecordFact, today: string, subs: ReturnType<typeof subViews>, book: PriceBook, writer: UsageWriter): string | undefined {
  if (typeof r.recordId !== 'string' || !r.recordId || r.recordId.length > 200) return 'recordId is missing or longer than 200 characters';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(r.recordId)) return 'recordId holds control characters';
  const quantity = decimalProblem(r.quantity, BOUNDS.usageQuantity);
  if (quantity) return quantity;
  if (typeof r.usageDate !== 'string' || !isDay(r.usageDate)) return `usageDate ${JSON.stringify(r.usageDate)} is not a day (YYYY-MM-DD)`;
  if (r.usageDate > today) return `usageDate ${r.usageDate} is in the future (today is ${today})`;
  const found = subs.get(r.subscriptionId);
  // Another partner's subscription reads as unknown: no existence oracle.
  const sub = found && (!writer.partnerId || found.partnerId === writer.partnerId || found.resellerId === writer.partnerId) ? found : undefined;
  if (!sub) return `unknown subscription ${r.subscriptionId}`;
  if (sub.billingType !== 'USAGE') return `subscription ${r.subscriptionId} is not USAGE-billed`;
  if (!sub.activatedOn || r.usageDate < sub.activatedOn) return `usageDate ${r.usageDate} is before the subscription was activated${sub.activatedOn ? ` (${sub.activatedOn})` : ''}`;
  if (sub.cancelledOn && r.usageDate > sub.cancelledOn) return `usageDate ${r.usageDate} is after the subscription was cancelled (${sub.cancelledOn})`;
  if (!book.knowsMeter(r.meterId)) return `unknown meter ${r.meterId}`;
  if (!writer.vendorMeters) return `meter ${r.meterId} is the vendor's; this client is not granted ${VENDOR_METERS_SCOPE}`;
  if (!book.rate(sub.market, r.meterId, r.usageDate)) return `meter ${r.meterId} is not in the rate card of market ${sub.market} in force on ${r.usageDate}`;
  return undefined;
}
