import { badInput } from '@csp/kernel';
import Decimal from 'decimal.js';

/**
 * Money and usage quantities stay decimal strings; decimal.js only compares them, so a price
 * like "0.000016" is stored and served exactly as given (never through a JS number).
 */
export function nonNegative(value: string, field: string, what = 'An amount'): Decimal {
  let d: Decimal;
  try {
    d = new Decimal(value);
  } catch {
    throw badInput(`${what} must be a decimal such as "12.50"; got "${value}".`, field);
  }
  if (!d.isFinite()) throw badInput(`${what} must be a finite decimal; got "${value}".`, field);
  if (d.isNegative() && !d.isZero()) throw badInput(`${what} cannot be negative; got "${value}".`, field);
  return d;
}

/** Plain notation (never "1e-7"), for values computed rather than given. */
export const plain = (d: Decimal, places?: number): string => (places === undefined ? d.toFixed() : d.toFixed(places, Decimal.ROUND_HALF_EVEN));
