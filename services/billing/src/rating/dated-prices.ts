import { dayOf } from '../money/dates';
import type { SubView } from '../subscriptions/timeline';

/**
 * Dated prices: a markup or a licence price takes effect from a day, so a charge must not span
 * two prices. `cuts(s)` are the days on which some price factor of `s` changes; a usage line
 * groups only days of one epoch, a licence segment is split at every cut (prorated by day).
 */
export type CutsOf = (s: SubView) => string[];

/** The epoch a day falls in: the latest cut on or before it ('' before the first). */
export function epochOf(cuts: string[], day: string): string {
  let e = '';
  for (const c of cuts) if (c <= day && c > e) e = c;
  return e;
}

const addDays = (day: string, n: number) => dayOf(new Date(Date.parse(`${day}T00:00:00.000Z`) + n * 86_400_000));
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00.000Z`) - Date.parse(`${from}T00:00:00.000Z`)) / 86_400_000) + 1;

/** Splits the day range [from, to] at every cut inside it (a cut starts a new part). */
export function splitDays(from: string, to: string, cuts: string[]): Array<{ from: string; to: string; days: number }> {
  const inside = [...new Set(cuts)].filter((c) => c > from && c <= to).sort();
  const out: Array<{ from: string; to: string; days: number }> = [];
  let start = from;
  for (const c of inside) {
    const end = addDays(c, -1);
    out.push({ from: start, to: end, days: daysBetween(start, end) });
    start = c;
  }
  out.push({ from: start, to, days: daysBetween(start, to) });
  return out;
}

/** The first day a price effective at `at` prices whole (days are priced as of their start). */
export const firstWholeDay = (at: Date) => {
  const d = dayOf(at);
  return at.getTime() === Date.parse(`${d}T00:00:00.000Z`) ? d : addDays(d, 1);
};
