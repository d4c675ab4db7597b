import { badInput } from '@csp/kernel';
import Decimal from 'decimal.js';

/**
 * Money and usage quantities stay decimal strings; decimal.js only compares them, so a price
 * like "0.000016" is stored and served exactly as given (never through a JS number).
 */
export function nonNegative(value: string, field: string, what = 'An amount'): string {
  return checked(value, field, what).value;
}

function checked(value: string, field: string, what: string): { d: Decimal; value: string } {
  let d: Decimal;
  try {
    d = new Decimal(value);
  } catch {
    throw badInput(`${what} must be a decimal such as "12.50"; got "${value}".`, field);
  }
  if (!d.isFinite()) throw badInput(`${what} must be a finite decimal; got "${value}".`, field);
  if (d.isNegative() && !d.isZero()) throw badInput(`${what} cannot be negative; got "${value}".`, field);
  // "-0.00" is zero: keep the digits, drop the sign.
  return { d, value: d.isZero() && value.startsWith('-') ? value.slice(1) : value };
}

/** As nonNegative, also handing back the parsed value for comparisons. */
export function nonNegativeDecimal(value: string, field: string, what = 'An amount'): { d: Decimal; value: string } {
  return checked(value, field, what);
}

/** Plain notation (never "1e-7"), for values computed rather than given. */
export const plain = (d: Decimal, places?: number): string => (places === undefined ? d.toFixed() : d.toFixed(places, Decimal.ROUND_HALF_EVEN));
