import { crashPoint, duplicatesOf, type AggregateLocks } from '@csp/kernel';
import type { Model } from 'mongoose';
import { Dec } from '../money/decimal';
import { usageGroupKey, type RatableUsage } from '../rating/usage-rating';
import { segmentOf, windowSegment, type MonthWindow, type RunCut } from '../runs/billing-window';
import type { InvoiceRunDoc } from '../runs/invoice-run.model';
import type { UsageMonthDoc, UsagePendingDoc } from './usage-month.model';
import type { UsageRecordDoc } from './usage-record.model';

/** Rows from before batches not yet in their month's total: `folded` false or absent. */
const UNFOLDED = { $ne: true } as const;
const SWEEP_ROWS = 10_000;
const ROW_FIELDS = { subscriptionId: 1, meterId: 1, month: 1, usageDate: 1, quantity: 1, batch: 1, receivedAt: 1 } as const;
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
  /** When the batch was received (all its rows share it): which run's segment it is folded into. */
  receivedAt: Date;
}

/** A row a fold adds: its day, quantity and when it was received. */
export type FoldRow = Pick<UsageRecordDoc, 'subscriptionId' | 'meterId' | 'month' | 'usageDate' | 'quantity' | 'receivedAt'> & { batch?: string };

/** Usage of one (subscription, meter, month) a window bills, and the quantity billed before it (its tiers' offset). */
export interface WindowUsage {
  records: RatableUsage[];
  prior: Map<string, Dec>;
}

const batchFilter = (batch: string) => (batch ? batch : null);
const pendingId = (f: Pick<UsageFold, 'subscriptionId' | 'meterId' | 'month' | 'batch'>) => `${usageGroupKey(f.subscriptionId, f.meterId, f.month)}|${f.batch}`;
const totalKey = (group: string, seg: string) => (seg ? `${group}|${seg}` : group);
/** Each version of a total is a document of its own: a fold inserts the next, then deletes the ones before. */
const versionId = (group: string, seg: string, version: number) => `${totalKey(group, seg)}#${version}`;
const segOfTotal = (t: Pick<UsageMonthDoc, 'seg'>) => t.seg ?? '';

/**
 * The newest version of each (group, segment) total: between a fold's insert of the next version
 * (its commit point) and its delete of the ones before, both are stored.
 */
function latest(docs: UsageMonthDoc[]): UsageMonthDoc[] {
  const best = new Map<string, UsageMonthDoc>();
  for (const d of docs) {
    const k = totalKey(usageGroupKey(d.subscriptionId, d.meterId, d.month), segOfTotal(d));
    const b = best.get(k);
    if (!b || d.version > b.version) best.set(k, d);
  }
  return [...best.values()];
}

/** A total's days and receivedAt range with these rows added (a total from before ranges were kept stays without one: its readers read rows). */
function withRows(doc: Pick<UsageMonthDoc, 'days' | 'from' | 'to'> | null | undefined, rows: Array<Pick<FoldRow, 'usageDate' | 'quantity' | 'receivedAt'>>) {
  const days = { ...doc?.days };
  let from = doc ? doc.from : rows[0].receivedAt;
  let to = doc ? doc.to : rows[0].receivedAt;
  for (const r of rows) {
    days[r.usageDate] = new Dec(days[r.usageDate] ?? 0).plus(r.quantity).toFixed();
    if (from && r.receivedAt < from) from = r.receivedAt;
    if (to && r.receivedAt > to) to = r.receivedAt;
  }
  return { days, range: from && to ? { from, to } : {} };
}

/** Runs `fn` over `items`, FOLD_PARALLEL at a time (each group its own lock and documents). */
async function fewAtATime<T>(items: T[], fn: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: Math.min(FOLD_PARALLEL, queue.length) }, async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) await fn(next);
  }));
}

/**
 * Usage per (subscription, meter, month) as day totals, kept exact at ingestion, so reading a
 * month's unbilled usage or an invoice run's usage costs the same whatever number of rows it holds.
 *
 * Rating day totals is rating the rows: within a group, rows of one day share the rate card and
 * the markup epoch, and the tier splits of a day depend only on the cumulative quantity before it
 * and the day's total, whatever the order of its rows (line keys hold no row; usageFrom/To are
 * days). So each day is one synthetic record.
 *
 * A group has one total per invoice-run window (its segment, billing-window.ts `segmentOf`): rows
 * received before any run covering the month, then the late rows after each such run. Each total
 * keeps the range of its rows' receivedAt; a reader uses a group's totals only when those ranges
 * fall in its window (a fold that raced a run's start could have put a row in the segment before),
 * else it rates the group's rows, so a window's usage is always exactly its rows.
 *
 * Without transactions a row is counted exactly once: a fold adds one ingestion batch's rows of
 * one group, under the group's Redis lock. The batch's pending document (written before its rows)
 * is what says "not yet in a total": (1) the batches of the group's previous folds (`lastFold` of
 * each of its totals) are settled — their pending documents deleted, finishing a fold that died
 * before that; (2) a batch in a `lastFold` or whose pending document is gone is already in;
 * (3) the batch's rows are added (those the ingestion just inserted, or read back by the sweep)
 * and the total's next version inserted with the batch as `lastFold` (commit point: readers take
 * the newest version), the versions before it deleted; (4) its pending document is deleted. Rows
 * are never rewritten: a per-row "folded" mark made FerretDB rewrite every row (its updateMany is
 * a write per document). A reader adds to the totals the rows of pending batches in
 * no `lastFold` of their group, so a row counts from its insert on. Rows from before batches
 * (`batch` absent) are still marked `folded`, once.
 */
export class UsageMonths {
  constructor(
    private readonly m: { usage: Model<UsageRecordDoc>; usageMonths: Model<UsageMonthDoc>; usagePending: Model<UsagePendingDoc>; runs: Model<InvoiceRunDoc> },
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
  async fold(folds: UsageFold[], inserted?: FoldRow[]): Promise<void> {
    // Only the fold's fields: callers pass rows, whose own _id must not reach the total.
    const unique = new Map(
      folds.map((f) => [pendingId({ ...f, batch: f.batch ?? '' }), { subscriptionId: f.subscriptionId, meterId: f.meterId, month: f.month, batch: f.batch ?? '', receivedAt: f.receivedAt }]),
    );
    if (!unique.size) return;
    const known = inserted && new Map<string, FoldRow[]>();
    for (const r of inserted ?? []) {
      const k = pendingId({ ...r, batch: r.batch ?? '' });
      const list = known!.get(k);
      if (list) list.push(r);
      else known!.set(k, [r]);
    }
    const runs = await this.m.runs.find({}, { period: 1, cutoff: 1 }).lean<RunCut[]>();
    // An ingestion's own batch, its rows in hand: all its groups in a handful of store commands.
    if (known && unique.size > 1 && [...unique.values()].every((f) => f.batch)) {
      return this.foldBatch([...unique].map(([id, f]) => ({ id, f, rows: known.get(id) ?? [] })), runs);
    }
    let failed: unknown;
    await fewAtATime([...unique.entries()], ([id, f]) =>
      // Every fold is tried even when one fails (its rows stay pending, read as rows, swept later).
      this.foldOne(f, segmentOf(runs, f.month, f.receivedAt), known ? (known.get(id) ?? []) : undefined).catch((err) => void (failed ??= err)),
    );
    if (failed) throw failed;
  }

  /**
   * Folds what dead ingestions left pending, of batches received before `before` (so complete):
   * the announced batches (a small collection), and rows from before batches, never folded.
   */
  async sweep(before: Date): Promise<number> {
    const legacy = await this.m.usage.find({ batch: null, folded: UNFOLDED }, { subscriptionId: 1, meterId: 1, month: 1, receivedAt: 1 }).limit(SWEEP_ROWS).lean<Array<UsageRecordDoc>>();
    const pending = (await this.m.usagePending.find({}).lean<UsagePendingDoc[]>()).filter((p) => p.receivedAt < before);
    await this.fold([...legacy.filter((r) => r.receivedAt < before).map((r) => ({ ...r, batch: '' })), ...pending]);
    return legacy.length + pending.length;
  }

  private foldOne(f: UsageFold, seg: string, inserted?: FoldRow[]): Promise<void> {
    const groupKey = usageGroupKey(f.subscriptionId, f.meterId, f.month);
    const group = { subscriptionId: f.subscriptionId, meterId: f.meterId, month: f.month };
    return this.locks.hold(USAGE_MONTHS, groupKey, async () => {
      // Every segment's total of the group (a batch a dead fold put in one segment must not be
      // added to another after a run began), and whether the batch still waits; a pending
      // document goes only under this lock, after its commit: gone means counted.
      const [stored, pending] = await Promise.all([
        this.m.usageMonths.find(group).lean<UsageMonthDoc[]>(),
        f.batch ? this.m.usagePending.exists({ _id: pendingId(f) }) : Promise.resolve(true),
      ]);
      const totals = latest(stored);
      const doc = totals.find((t) => segOfTotal(t) === seg) ?? null;
      for (const t of totals) for (const b of t.lastFold) await this.settle(group, b);
      if (totals.some((t) => t.lastFold.includes(f.batch)) || !pending) return;
      const rows = inserted ?? (await this.m.usage.find({ ...group, batch: batchFilter(f.batch), ...(f.batch ? {} : { folded: UNFOLDED }) }, { quantity: 1, usageDate: 1, receivedAt: 1 }).batchSize(FOLD_BATCH).lean<UsageRecordDoc[]>());
      if (!rows.length) return void (await this.settle(group, f.batch));
      const { days, range } = withRows(doc, rows);
      const version = (doc?.version ?? 0) + 1;
      // The lock excludes other folds; the next version's id guards a fold that outlived its lock
      // (a second insert of it is a duplicate key: that fold fails, its batch stays pending).
      await this.m.usageMonths.collection.insertOne({ _id: versionId(groupKey, seg, version), ...group, seg, days, lastFold: [f.batch], ...range, version } as never);
      crashPoint('usage.folded');
      const older = stored.filter((t) => segOfTotal(t) === seg).map((t) => t._id);
      if (older.length) await this.m.usageMonths.deleteMany({ _id: { $in: older } });
      await this.settle(group, f.batch);
    });
  }

  /**
   * `foldOne` for many groups at once, under all their locks (taken in key order, so two batches
   * never wait for each other): one read of their totals, one of the batch's pending documents,
   * one delete of the settled ones, then the totals' writes (one insert for the new ones) and one
   * delete of this batch's pending documents. Each group's total commits on its own, as in
   * `foldOne`: a crash part-way leaves the rest pending, counted from their rows, swept later.
   */
  private async foldBatch(folds: Array<{ id: string; f: UsageFold; rows: FoldRow[] }>, runs: RunCut[]): Promise<void> {
    const keyOf = (g: UsageGroup) => usageGroupKey(g.subscriptionId, g.meterId, g.month);
    const keys = [...new Set(folds.map(({ f }) => keyOf(f)))].sort();
    await this.holdAll(keys, async () => {
      const one = <T>(xs: T[]) => (xs.length === 1 ? xs[0] : { $in: xs });
      const subIds = [...new Set(folds.map(({ f }) => f.subscriptionId))];
      const months = [...new Set(folds.map(({ f }) => f.month))];
      const batches = [...new Set(folds.map(({ f }) => f.batch))];
      const [stored, pendingDocs] = await Promise.all([
        this.m.usageMonths.find({ subscriptionId: one(subIds), month: one(months) }).lean<UsageMonthDoc[]>(),
        this.m.usagePending.find({ batch: one(batches) }, { _id: 1 }).lean<Array<{ _id: string }>>(),
      ]);
      const wanted = new Set(keys);
      const byGroup = new Map<string, UsageMonthDoc[]>();
      for (const t of latest(stored)) {
        const k = keyOf(t);
        if (wanted.has(k)) byGroup.set(k, [...(byGroup.get(k) ?? []), t]);
      }
      // Every stored version of a (group, segment): what its next version replaces.
      const versions = new Map<string, string[]>();
      for (const t of stored) {
        const k = totalKey(keyOf(t), segOfTotal(t));
        versions.set(k, [...(versions.get(k) ?? []), t._id]);
      }
      // (1) The batches of each group's previous folds are in: their pending documents go.
      const settled = new Set<string>();
      for (const ts of byGroup.values()) {
        const g = ts[0];
        for (const t of ts) for (const b of t.lastFold) {
          if (b) settled.add(pendingId({ subscriptionId: g.subscriptionId, meterId: g.meterId, month: g.month, batch: b }));
          else await this.settle(g, b); // rows from before batches (rare)
        }
      }
      if (settled.size) await this.m.usagePending.deleteMany({ _id: { $in: [...settled] } });
      // (2) What each group adds.
      const waiting = new Set(pendingDocs.map((d) => d._id));
      const next: Array<{ doc: Record<string, unknown>; replaces: string[]; pending: string }> = [];
      const done: string[] = [];
      for (const { id, f, rows } of folds) {
        const ts = byGroup.get(keyOf(f)) ?? [];
        if (ts.some((t) => t.lastFold.includes(f.batch)) || !waiting.has(id)) continue;
        if (!rows.length) {
          done.push(id);
          continue;
        }
        const seg = segmentOf(runs, f.month, f.receivedAt);
        const doc = ts.find((t) => segOfTotal(t) === seg);
        const { days, range } = withRows(doc, rows);
        const group = { subscriptionId: f.subscriptionId, meterId: f.meterId, month: f.month };
        const version = (doc?.version ?? 0) + 1;
        next.push({
          doc: { _id: versionId(keyOf(f), seg, version), ...group, seg, days, lastFold: [f.batch], ...range, version },
          replaces: versions.get(totalKey(keyOf(f), seg)) ?? [],
          pending: id,
        });
      }
      // (3) Every total's next version in one insert, each its own commit point (a duplicate id is
      // a fold that outlived its locks: that group's batch stays pending, swept later); then the
      // versions they replace go, and (4) this batch's pending documents of the committed groups.
      let lost = new Set<number>();
      if (next.length) {
        try {
          await this.m.usageMonths.collection.insertMany(next.map((n) => n.doc) as never[], { ordered: false });
        } catch (err) {
          const dup = duplicatesOf(err);
          if (!dup?.indexes) throw err;
          lost = dup.indexes;
        }
      }
      const committed = next.filter((_, i) => !lost.has(i));
      crashPoint('usage.folded');
      const replaced = committed.flatMap((n) => n.replaces);
      if (replaced.length) await this.m.usageMonths.deleteMany({ _id: { $in: replaced } });
      done.push(...committed.map((n) => n.pending));
      if (done.length) await this.m.usagePending.deleteMany({ _id: { $in: done } });
      if (lost.size) throw new Error(`${lost.size} usage totals changed during their fold; the sweep folds them again`);
    });
  }

  /** Runs `fn` holding the locks of these groups, taken one after another in the order given. */
  private holdAll(keys: string[], fn: () => Promise<void>): Promise<void> {
    if (!keys.length) return fn();
    const [first, ...rest] = keys;
    return this.locks.hold(USAGE_MONTHS, first, () => this.holdAll(rest, fn), { renew: true });
  }

  /** The batch's rows of the group are in a total: its pending document goes (rows from before batches are marked). */
  private async settle(group: UsageGroup, batch: string): Promise<void> {
    if (batch) await this.m.usagePending.deleteOne({ _id: pendingId({ ...group, batch }) });
    else await this.m.usage.updateMany({ ...group, batch: null, folded: UNFOLDED }, { $set: { folded: true } });
  }

  /**
   * Subscriptions that may have usage in these windows (from the totals' receivedAt ranges and
   * the announced batches; never one missed, rarely one too many).
   */
  async subscriptionsIn(windowOf: (month: string) => MonthWindow | null): Promise<string[]> {
    const [docs, pending] = await Promise.all([
      this.m.usageMonths.find({}, { subscriptionId: 1, month: 1, from: 1, to: 1 }).lean<UsageMonthDoc[]>(),
      this.m.usagePending.find({}, { subscriptionId: 1, month: 1 }).lean<UsagePendingDoc[]>(),
    ]);
    const out = new Set<string>();
    for (const d of docs) {
      const w = windowOf(d.month);
      if (w && (!d.from || !d.to || ((!w.after || d.to >= w.after) && (!w.before || d.from < w.before)))) out.add(d.subscriptionId);
    }
    for (const p of pending) if (windowOf(p.month)) out.add(p.subscriptionId);
    return [...out];
  }

  /**
   * Usage of these subscriptions in their windows (`windowOf` per month, null: not wanted), one
   * record per (subscription, meter, day), and per group the quantity received before its window.
   * Totals, unfolded rows, totals again: a fold that ran in between (version moved) means reading
   * again, so no row is counted twice or missed.
   */
  async window(subIds: string[], windowOf: (month: string) => MonthWindow | null): Promise<WindowUsage> {
    if (!subIds.length) return { records: [], prior: new Map() };
    const subFilter = { subscriptionId: subIds.length === 1 ? subIds[0] : { $in: subIds } };
    for (let attempt = 1; ; attempt++) {
      const stored = (await this.m.usageMonths.find(subFilter).lean<UsageMonthDoc[]>()).filter((d) => windowOf(d.month));
      // Unfolded rows only where a batch is announced and not yet folded: none, usually.
      const pending = (await this.m.usagePending.find(subFilter).lean<UsagePendingDoc[]>()).filter((p) => windowOf(p.month));
      const rows: UsageRecordDoc[] = [];
      for (const p of pending) {
        const filter = { subscriptionId: p.subscriptionId, meterId: p.meterId, month: p.month, batch: batchFilter(p.batch), folded: UNFOLDED };
        rows.push(...(await this.m.usage.find(filter, ROW_FIELDS).batchSize(FOLD_BATCH).lean<UsageRecordDoc[]>()));
      }
      const again = (await this.m.usageMonths.find(subFilter, { month: 1, version: 1 }).lean<Array<{ _id: string; month: string; version: number }>>()).filter((d) => windowOf(d.month));
      // A fold's commit inserts a version and its cleanup deletes one: either changes the set of ids.
      const seen = new Map(stored.map((d) => [d._id, d.version]));
      const stable = again.length === stored.length && again.every((d) => seen.get(d._id) === d.version);
      if (stable) return this.inWindows(latest(stored), rows, windowOf);
      if (attempt >= 20) throw new Error('usage totals keep changing while being read; try again');
    }
  }

  /** Day records of each group's window from its totals, or from its rows when a total's range does not fit the window. */
  private async inWindows(docs: UsageMonthDoc[], rows: UsageRecordDoc[], windowOf: (month: string) => MonthWindow | null): Promise<WindowUsage> {
    const groups = new Map<string, { g: UsageGroup; docs: UsageMonthDoc[]; rows: UsageRecordDoc[]; folded: Set<string> }>();
    const groupOf = (g: UsageGroup) => {
      const key = usageGroupKey(g.subscriptionId, g.meterId, g.month);
      let e = groups.get(key);
      if (!e) groups.set(key, (e = { g: { subscriptionId: g.subscriptionId, meterId: g.meterId, month: g.month }, docs: [], rows: [], folded: new Set() }));
      return e;
    };
    for (const d of docs) {
      const e = groupOf(d);
      e.docs.push(d);
      for (const b of d.lastFold) e.folded.add(b);
    }
    for (const r of rows) groupOf(r).rows.push(r);
    const records: RatableUsage[] = [];
    const prior = new Map<string, Dec>();
    const add = (days: Map<string, Dec>, day: string, q: string) => days.set(day, (days.get(day) ?? new Dec(0)).plus(q));
    for (const [key, e] of groups) {
      const w = windowOf(e.g.month)!;
      const seg = windowSegment(w);
      const fits = e.docs.every(
        (d) => d.from && d.to && ((d.seg ?? '') < seg ? d.to < w.after! : (d.seg ?? '') > seg || ((!w.after || d.from >= w.after) && (!w.before || d.to < w.before))),
      );
      // Rows in the window, and before it, by their own receivedAt.
      const days = new Map<string, Dec>();
      let before = new Dec(0);
      const take = (r: Pick<UsageRecordDoc, 'receivedAt' | 'usageDate' | 'quantity'>) => {
        if (w.after && r.receivedAt < w.after) before = before.plus(r.quantity);
        else if (!w.before || r.receivedAt < w.before) add(days, r.usageDate, r.quantity);
      };
      if (fits) {
        for (const d of e.docs) {
          const s = d.seg ?? '';
          if (s < seg) for (const q of Object.values(d.days)) before = before.plus(q);
          else if (s === seg) for (const [day, q] of Object.entries(d.days)) add(days, day, q);
        }
        for (const r of e.rows) if (!e.folded.has(r.batch ?? '')) take(r);
      } else {
        for await (const r of this.m.usage.find(e.g, ROW_FIELDS).lean<UsageRecordDoc>().cursor({ batchSize: FOLD_BATCH })) take(r as UsageRecordDoc);
      }
      if (!before.isZero()) prior.set(key, before);
      for (const [day, q] of days) records.push({ _id: `${key}|${day}`, ...e.g, quantity: q.toFixed(), usageDate: day });
    }
    return { records, prior };
  }
}
