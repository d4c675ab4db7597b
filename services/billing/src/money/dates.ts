/** Calendar arithmetic on UTC days ("YYYY-MM-DD") and periods ("YYYY-MM"); strings compare in order. */

export const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const dayOf = (t: Date) => t.toISOString().slice(0, 10);
export const periodOf = (t: Date | string) => (typeof t === 'string' ? t.slice(0, 7) : t.toISOString().slice(0, 7));

/** True for a real calendar day such as 2026-02-28 (not 2026-02-30). */
export function isDay(s: string): boolean {
  const m = DAY_RE.exec(s);
  if (!m) return false;
  const t = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return dayOf(t) === s;
}

export function daysInPeriod(period: string): number {
  const [y, m] = period.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function periodStart(period: string): Date {
  const [y, m] = period.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, 1));
}

/** First instant after the period. */
export function periodEnd(period: string): Date {
  const [y, m] = period.split('-').map(Number);
  return new Date(Date.UTC(y, m, 1));
}

export const nextPeriod = (period: string) => periodOf(periodEnd(period));
export const previousPeriod = (period: string) => {
  const [y, m] = period.split('-').map(Number);
  return periodOf(new Date(Date.UTC(y, m - 2, 1)));
};

/** Day `n` (1-based) of a period as "YYYY-MM-DD". */
export const dayInPeriod = (period: string, n: number) => `${period}-${String(n).padStart(2, '0')}`;
