import Decimal from 'decimal.js';

// Bounds and syntax of given amounts: the kernel's rules (boundedDecimal, BOUNDS).

/** Plain notation (never "1e-7"), for values computed rather than given. */
export const plain = (d: Decimal, places?: number): string => (places === undefined ? d.toFixed() : d.toFixed(places, Decimal.ROUND_HALF_EVEN));
