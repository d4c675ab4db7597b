import Decimal from 'decimal.js';
import { badInput } from '../graph/errors';

/** A plain decimal string: no exponent, no hex, at most 28 integer and 18 fraction digits. */
export const DECIMAL_RE = /^-?(0|[1-9]\d{0,27})(\.\d{1,18})?$/;

/** What one kind of amount may be: the bounds a person would call sane for it. */
export interface DecimalBound {
  /** How the error names it, e.g. "A unit price". */
  what: string;
  min: string;
  max: string;
  /** Most fraction digits. */
  places: number;
}

/** Per-field bounds, the one table every service checks amounts against. */
export const BOUNDS = {
  /** One usage row: a billion units of a meter in a day is far beyond any real reading. */
  usageQuantity: { what: 'quantity', min: '0', max: '1000000000', places: 18 },
  /** A price per unit (licence per month, or a meter tier's per-unit price). */
  unitPrice: { what: 'A unit price', min: '0', max: '1000000', places: 18 },
  /** A rate-card tier's starting quantity: a threshold, never charged, so any Decimal will do. */
  tierQuantity: { what: 'fromQuantity', min: '0', max: '9999999999999999999999999999', places: 18 },
  /** Markups: -100 % makes a price zero; 1000 % is eleven times the price. */
  markupPercent: { what: 'markupPercent', min: '-100', max: '1000', places: 4 },
  /** A payment or any single money amount entered by a person. */
  paymentAmount: { what: 'An amount', min: '0', max: '1000000000', places: 4 },
} as const satisfies Record<string, DecimalBound>;

/** Why `value` is not an amount within `bound`, or undefined when it is. */
export function decimalProblem(value: unknown, bound: DecimalBound): string | undefined {
  if (typeof value !== 'string' || !DECIMAL_RE.test(value.trim())) return `${bound.what} ${JSON.stringify(value)?.slice(0, 40)} is not a plain decimal such as "12.50"`;
  const d = new Decimal(value.trim());
  if (d.lt(bound.min)) return bound.min === '0' ? `${bound.what} ${value} is negative` : `${bound.what} ${value} is below ${bound.min}`;
  if (d.gt(bound.max)) return `${bound.what} ${value} is above the bound: at most ${bound.max}`;
  if (d.decimalPlaces() > bound.places) return `${bound.what} ${value} has more than ${bound.places} fraction digits`;
  return undefined;
}

/** The amount as given (an exact decimal string, "-0" as "0"), or BAD_USER_INPUT naming `field`. */
export function boundedDecimal(value: string, field: string, bound: DecimalBound): string {
  const problem = decimalProblem(value, bound);
  if (problem) throw badInput(`${problem} (${field}).`, field);
  const v = value.trim();
  return new Decimal(v).isZero() && v.startsWith('-') ? v.slice(1) : v;
}
