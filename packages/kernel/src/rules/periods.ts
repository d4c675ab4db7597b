import { badInput } from '../graph/errors';

/** A billing month "YYYY-MM" in the years this platform can have bills for (2000–2199). */
export const PERIOD_RE = /^(2[01]\d{2})-(0[1-9]|1[0-2])$/;

export function billingPeriod(value: string, field = 'period'): string {
  if (typeof value !== 'string' || !PERIOD_RE.test(value)) throw badInput(`${field} must be a month "YYYY-MM" between 2000-01 and 2199-12; got ${JSON.stringify(value)?.slice(0, 20)}.`, field);
  return value;
}
