import { badInput } from '@csp/kernel';

/** ISO 8601 date durations (PnYnMnWnD); a GDAP relationship lasts whole days. */
const DURATION_RE = /^P(?!$)(?:(\d{1,4})Y)?(?:(\d{1,5})M)?(?:(\d{1,5})W)?(?:(\d{1,6})D)?$/;

export interface Duration {
  years: number;
  months: number;
  days: number;
}

export function parseDuration(text: string): Duration | undefined {
  const m = DURATION_RE.exec(text);
  if (!m) return undefined;
  const [, y, mo, w, d] = m.map((v) => Number(v ?? 0));
  return { years: y, months: mo, days: w * 7 + d };
}

/** Calendar arithmetic in UTC: P1M from Jan 31 is the last day of February, as ISO 8601 tools do. */
export function addDuration(from: Date, d: Duration): Date {
  const out = new Date(from.getTime());
  const day = out.getUTCDate();
  out.setUTCDate(1);
  out.setUTCMonth(out.getUTCMonth() + d.years * 12 + d.months);
  const lastDay = new Date(Date.UTC(out.getUTCFullYear(), out.getUTCMonth() + 1, 0)).getUTCDate();
  out.setUTCDate(Math.min(day, lastDay));
  out.setUTCDate(out.getUTCDate() + d.days);
  return out;
}

const ONE_DAY: Duration = { years: 0, months: 0, days: 1 };
const TWO_YEARS: Duration = { years: 2, months: 0, days: 0 };

/** Validates a GDAP duration: ISO 8601, at least one day and at most two years from `now`. */
export function requireGdapDuration(text: string, now: Date): Duration {
  const d = parseDuration(text);
  if (!d) throw badInput('`duration` must be an ISO 8601 duration such as P90D, P6M or P2Y.', 'duration');
  const end = addDuration(now, d).getTime();
  if (end < addDuration(now, ONE_DAY).getTime() || end > addDuration(now, TWO_YEARS).getTime()) {
    throw badInput('`duration` must lie between P1D (one day) and P2Y (two years).', 'duration');
  }
  return d;
}
