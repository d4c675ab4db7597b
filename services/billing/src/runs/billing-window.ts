/**
 * Which usage a run bills. A usage record belongs to the first invoice run, in the order runs
 * were started (their cutoff), that covers its usage month and started after the record
 * arrived. So usage arriving for an already-invoiced month goes into the next run's invoice,
 * keeping its real usage date, and no record is billed twice — without writing to the records.
 */
export interface RunCut {
  period: string;
  cutoff: Date;
}

type Clause = Record<string, unknown>;

/**
 * Run order: by cutoff, then by period. A clock jump over several month ends starts their runs
 * in one go, possibly within the same millisecond; the older month then counts as earlier.
 */
const before = (a: RunCut, b: RunCut) => a.cutoff.getTime() < b.cutoff.getTime() || (a.cutoff.getTime() === b.cutoff.getTime() && a.period < b.period);

/** Month ranges (lo, hi] split at the given run periods, each with the latest cutoff of runs covering it. */
function ranges(runs: RunCut[], upTo: string | null): Array<{ lo?: string; hi?: string; after?: Date }> {
  const points = [...new Set(runs.map((r) => r.period).filter((p) => upTo === null || p < upTo))].sort();
  const bounds = upTo === null ? [...points, undefined] : [...points, upTo];
  const out: Array<{ lo?: string; hi?: string; after?: Date }> = [];
  let lo: string | undefined;
  for (const hi of bounds) {
    // Months in (lo, hi] are covered by exactly the runs whose period is ≥ hi.
    const covering = hi === undefined ? [] : runs.filter((r) => r.period >= hi);
    const after = covering.reduce<Date | undefined>((m, r) => (!m || r.cutoff > m ? r.cutoff : m), undefined);
    out.push({ lo, hi, after });
    lo = hi;
  }
  return out;
}

function monthRange(lo?: string, hi?: string): Clause {
  const m: Record<string, string> = {};
  if (lo) m.$gt = lo;
  if (hi) m.$lte = hi;
  return Object.keys(m).length ? { month: m } : {};
}

/** Store filter of the usage run `target` bills (given every run, the target included). */
export function runWindow(runs: RunCut[], target: RunCut): Clause {
  const earlier = runs.filter((r) => r.period !== target.period && before(r, target));
  const clauses = ranges(earlier, target.period).map(({ lo, hi, after }) => ({
    ...monthRange(lo, hi),
    receivedAt: after ? { $gte: after, $lt: target.cutoff } : { $lt: target.cutoff },
  }));
  return clauses.length === 1 ? clauses[0] : { $or: clauses };
}

/** Store filter of usage billed before `target` for the months it bills late usage of (tier offsets). */
export function priorWindow(runs: RunCut[], target: RunCut): Clause | undefined {
  const earlier = runs.filter((r) => r.period !== target.period && before(r, target));
  const clauses = ranges(earlier, target.period)
    .filter((r) => r.after)
    .map(({ lo, hi, after }) => ({ ...monthRange(lo, hi), receivedAt: { $lt: after } }));
  if (!clauses.length) return undefined;
  return clauses.length === 1 ? clauses[0] : { $or: clauses };
}

/** Store filter of usage no run has billed yet. */
export function unbilledWindow(runs: RunCut[]): Clause {
  const clauses = ranges(runs, null).map(({ lo, hi, after }) => ({ ...monthRange(lo, hi), ...(after ? { receivedAt: { $gte: after } } : {}) }));
  return clauses.length === 1 ? clauses[0] : { $or: clauses };
}

/** Store filter of usage already billed (tier offsets for unbilled usage of invoiced months). */
export function billedWindow(runs: RunCut[]): Clause | undefined {
  const clauses = ranges(runs, null)
    .filter((r) => r.after)
    .map(({ lo, hi, after }) => ({ ...monthRange(lo, hi), receivedAt: { $lt: after } }));
  if (!clauses.length) return undefined;
  return clauses.length === 1 ? clauses[0] : { $or: clauses };
}

/** The receivedAt range [after, before) of one month's rows a run bills (or, without `before`, that no run billed yet). */
export interface MonthWindow {
  after?: Date;
  before?: Date;
}

/** The latest cutoff of these runs covering `month` (a run covers its month and every month before it). */
const lastCutoff = (runs: RunCut[], month: string) =>
  runs.reduce<Date | undefined>((m, r) => (r.period >= month && (!m || r.cutoff > m) ? r.cutoff : m), undefined);

/**
 * The same windows as runWindow (with `target`) or unbilledWindow (without), per month: null for
 * a month the target does not bill. Rows received before `after` are its tiers' offset.
 */
export function monthWindows(runs: RunCut[], target?: RunCut): (month: string) => MonthWindow | null {
  const earlier = target ? runs.filter((r) => r.period !== target.period && before(r, target)) : runs;
  return (month) => (target && month > target.period ? null : { after: lastCutoff(earlier, month), ...(target ? { before: target.cutoff } : {}) });
}

/**
 * Which run's window a row of `month` received at `at` falls in, as far as the runs known now
 * tell: '' before any run covering its month, else the ISO cutoff of the last one started
 * before it arrived (a run started later has a later cutoff, so this never changes).
 */
export function segmentOf(runs: RunCut[], month: string, at: Date): string {
  return lastCutoff(runs.filter((r) => r.cutoff <= at), month)?.toISOString() ?? '';
}

/** The segment whose rows a window bills: its rows received from `after` on. */
export const windowSegment = (w: MonthWindow) => w.after?.toISOString() ?? '';
