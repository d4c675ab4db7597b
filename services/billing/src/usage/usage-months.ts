import { crashPoint, type AggregateLocks } from '@csp/kernel';
import type { Model } from 'mongoose';
import { Dec } from '../money/decimal';
import { usageGroupKey, type RatableUsage } from '../rating/usage-rating';
import type { UsageMonthDoc, UsagePendingDoc } from './usage-month.model';
import type { UsageRecordDoc } from './usage-record.model';

/** Rows not yet in their month's total: `folded` false, or absent on rows stored before totals. */
const UNFOLDED = { $ne: true } as const;
const SWEEP_ROWS = 10_000;
/** The totals' collection: its documents' lock names (the same key as before). */
const USAGE_MONTHS = 'usage_months';
/** A batch holds at most 10,000 rows (ingest.ts): its rows of a group come in one reply. */
const FOLD_BATCH = 10_000;
/** Groups of one batch folded at once (each under its own lock, its own documents). */
const FOLD_PARALLEL = 8;

export interface UsageGroup {
  subscriptionId: string;
  meterId: string;
  month: string;
}

/** A batch's rows of one group: what one fold adds. `batch` '' stands for rows stored before batches. */
export interface UsageFold extends UsageGroup {
  batch: string;
}

const batchFilter = (batch: string) => (batch ? batch : null);
const pendingId = (f: UsageFold) => `${usageGroupKey(f.subscriptionId, f.meterId, f.month)}|${f.batch}`;

/**
 * Usage per (subscription, meter, month) as day totals, kept exact at ingestion, so reading a
 * month's unbilled usage costs the same whatever number of rows it holds.
 *
 * Rating day totals is rating the rows: within a group, rows of one day share the rate card and
 * the markup epoch, and the tier splits of a day depend only on the cumulative quantity before it
 * and the day's total, whatever the order of its rows (line keys hold no row; usageFrom/To are
 * days). So each day is one synthetic record.
 *
 * Without transactions a row is counted exactly once: a fold adds one ingestion batch's rows of
 * one group, under the group's Redis lock. The batch's pending document (written before its rows)
 * is what says "not yet in the total": (1) the batches of the previous fold (`lastFold`) are
 * settled — their pending documents deleted, finishing a fold that died before that; (2) a batch
 * whose pending document is gone is already in; (3) the batch's rows are added (those the
 * ingestion just inserted, or read back by the sweep) and the total written with the batch as
 * `lastFold` (commit point); (4) its pending document is deleted. Rows are never rewritten: a
 * per-row "folded" mark made FerretDB rewrite every row (its updateMany is a write per document).
 * A reader adds to the totals the rows of pending batches not in `lastFold`, so a row counts from
 * its insert on. Rows from before batches (`batch` absent) are still marked `folded`, once.
 */
export class UsageMonths {
  constructor(
    private readonly m: { usage: Model<UsageRecordDoc>; usageMonths: Model<UsageMonthDoc>; usagePending: Model<UsagePendingDoc> },
    private readonly locks: AggregateLocks,
  ) {}

  /** Before a batch's rows are stored: where they will be until folded. One insert. */
  async announce(folds: UsageFold[], receivedAt: Date): Promise<void> {
    const docs = new Map(folds.map((f) => [pendingId(f), { _id: pendingId(f), subscriptionId: f.subscriptionId, meterId: f.meterId, month: f.month, batch: f.batch, receivedAt }]));
    if (docs.size) await this.m.usagePending.collection.insertMany([...docs.values()] as never[], { ordered: false });
  }

  /**
   * Folds these (group, batch) pairs into their totals, a few groups at a time. `inserted`: the
   * rows the caller has just stored under these batches, all of them (so they need not be read back).
   */
  async fold(folds: UsageFold[], inserted?: Array<Pick<UsageRecordDoc, 'subscriptionId' | 'meterId' | 'month' | 'usageDate' | 'quantity'> & { batch?: string }>): Promise<void> {
    // Only the fold's fields: callers pass rows, whose own _id must not reach the total.
    const unique = new Map(folds.map((f) => [pendingId({ ...f, batch: f.batch ?? '' }), { subscriptionId: f.subscriptionId, meterId: f.meterId, month: f.month, batch: f.batch ?? '' }]));
    const known = inserted && new Map<string, Array<Pick<UsageRecordDoc, 'usageDate' | 'quantity'>>>();
    for (const r of inserted ?? []) {
      const k = pendingId({ ...r, batch: r.batch ?? '' });
      const list = known!.get(k);
      if (list) list.push(r);
      else known!.set(k, [r]);
    }
    let failed: unknown;
    const queue = [...unique.entries()];
    await Promise.all(
      Array.from({ length: Math.min(FOLD_PARALLEL, queue.length) }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const [id, f] = next;
          // Every fold is tried even when one fails (its rows stay pending, read as rows, swept later).
          await this.foldOne(f, known ? (known.get(id) ?? []) : undefined).catch((err) => (failed ??= err));
        }
      }),
    );
    if (failed) throw failed;
  }

  /** Folds what dead ingestions left pending, of batches received before `before` (so complete). */
  async sweep(before: Date): Promise<number> {
    // Rows from before batches, never folded; and announced batches not yet in their totals.
    const legacy = await this.m.usage.find({ batch: null, folded: UNFOLDED }, { subscriptionId: 1, meterId: 1, month: 1 }).limit(SWEEP_ROWS).lean<Array<UsageRecordDoc>>();
    const pending = (await this.m.usagePending.find({}).lean<UsagePendingDoc[]>()).filter((p) => p.receivedAt < before);
    await this.fold([...legacy.map((r) => ({ ...r, batch: '' })), ...pending]);
    return legacy.length + pending.length;
  }

  private foldOne(f: UsageFold, inserted?: Array<Pick<UsageRecordDoc, 'usageDate' | 'quantity'>>): Promise<void> {
    const key = usageGroupKey(f.subscriptionId, f.meterId, f.month);
    const group = { subscriptionId: f.subscriptionId, meterId: f.meterId, month: f.month };
    return this.locks.hold(USAGE_MONTHS, key, async () => {
      // Both reads at once (one round trip less per group); a batch's pending document goes only
      // under this lock, after its commit: gone means counted.
      const [doc, pending] = await Promise.all([this.m.usageMonths.findById(key).lean<UsageMonthDoc>(), f.batch ? this.m.usagePending.exists({ _id: pendingId(f) }) : true]);
      for (const b of doc?.lastFold ?? []) await this.settle(group, b);
      if (doc?.lastFold.includes(f.batch)) return;
      if (!pending) return;
      const rows = inserted ?? (await this.m.usage.find({ ...group, batch: batchFilter(f.batch), folded: UNFOLDED }, { quantity: 1, usageDate: 1 }).batchSize(FOLD_BATCH).lean<UsageRecordDoc[]>());
      if (!rows.length) return void (await this.settle(group, f.batch));
      const days = { ...doc?.days };
      for (const r of rows) days[r.usageDate] = new Dec(days[r.usageDate] ?? 0).plus(r.quantity).toFixed();
      const lastFold = [f.batch];
      if (doc) {
        // The lock excludes other folds; the version guards a fold that outlived its lock.
        const res = await this.m.usageMonths.updateOne({ _id: key, version: doc.version }, { $set: { days, lastFold, version: doc.version + 1 } });
        if (res.matchedCount !== 1) throw new Error(`usage total ${key} changed during its fold; the sweep folds it again`);
      } else {
        await this.m.usageMonths.collection.insertOne({ _id: key, ...group, days, lastFold, version: 1 } as never);
      }
      crashPoint('usage.folded');
      await this.settle(group, f.batch);
    });
  }

  /** The batch's rows of the group are in its total: its pending document goes (rows from before batches are marked). */
  private async settle(group: UsageGroup, batch: string): Promise<void> {
    if (batch) await this.m.usagePending.deleteOne({ _id: pendingId({ ...group, batch }) });
    else await this.m.usage.updateMany({ ...group, batch: null, folded: UNFOLDED }, { $set: { folded: true } });
  }

  /**
   * Usage of these subscriptions in months after `after` (all months when undefined), one record
   * per (subscription, meter, day). Totals, unfolded rows, totals again: a fold that ran in
   * between (version moved) means reading again, so no row is counted twice or missed.
   */
  async read(subIds: string[], after?: string): Promise<RatableUsage[]> {
    if (!subIds.length) return [];
    const subFilter = { subscriptionId: subIds.length === 1 ? subIds[0] : { $in: subIds } };
    const monthFilter = after ? { month: { $gt: after } } : {};
    for (let attempt = 1; ; attempt++) {
      const docs = await this.m.usageMonths.find({ ...subFilter, ...monthFilter }).lean<UsageMonthDoc[]>();
      // Unfolded rows only where a batch is announced and not yet folded: none, usually.
      const pending = (await this.m.usagePending.find(subFilter).lean<UsagePendingDoc[]>()).filter((p) => !after || p.month > after);
      const rows: UsageRecordDoc[] = [];
      for (const p of pending) {
        const filter = { subscriptionId: p.subscriptionId, meterId: p.meterId, month: p.month, batch: batchFilter(p.batch), folded: UNFOLDED };
        rows.push(...(await this.m.usage.find(filter, { subscriptionId: 1, meterId: 1, month: 1, usageDate: 1, quantity: 1, batch: 1 }).batchSize(FOLD_BATCH).lean<UsageRecordDoc[]>()));
      }
      const again = await this.m.usageMonths.find({ ...subFilter, ...monthFilter }, { version: 1 }).lean<Array<{ _id: string; version: number }>>();
      const seen = new Map(docs.map((d) => [d._id, d.version]));
      const stable = again.length === docs.length && again.every((d) => seen.get(d._id) === d.version);
      if (stable) return daysOf(docs, rows, after);
      if (attempt >= 20) throw new Error('usage totals keep changing while being read; try again');
    }
  }
}

function daysOf(docs: UsageMonthDoc[], rows: UsageRecordDoc[], after?: string): RatableUsage[] {
  const groups = new Map<string, { g: UsageGroup; days: Map<string, Dec> }>();
  const groupOf = (g: UsageGroup) => {
    const key = usageGroupKey(g.subscriptionId, g.meterId, g.month);
    let e = groups.get(key);
    if (!e) groups.set(key, (e = { g: { subscriptionId: g.subscriptionId, meterId: g.meterId, month: g.month }, days: new Map() }));
    return e;
  };
  const inDoc = new Set<string>();
  for (const d of docs) {
    const e = groupOf(d);
    for (const [day, q] of Object.entries(d.days)) e.days.set(day, new Dec(q));
    for (const b of d.lastFold) inDoc.add(`${d._id}|${b}`);
  }
  for (const r of rows) {
    if ((after && r.month <= after) || inDoc.has(`${usageGroupKey(r.subscriptionId, r.meterId, r.month)}|${r.batch ?? ''}`)) continue;
    const e = groupOf(r);
    e.days.set(r.usageDate, (e.days.get(r.usageDate) ?? new Dec(0)).plus(r.quantity));
  }
  const out: RatableUsage[] = [];
  for (const [key, { g, days }] of groups) {
    for (const [day, q] of days) out.push({ _id: `${key}|${day}`, ...g, quantity: q.toFixed(), usageDate: day });
  }
  return out;
}
