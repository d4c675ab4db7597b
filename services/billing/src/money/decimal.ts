import DecimalJs from 'decimal.js';

/** Exact decimals for money: 60 significant digits, never a JS float. */
export const Dec = DecimalJs.clone({ precision: 60, rounding: DecimalJs.ROUND_HALF_EVEN, toExpNeg: -40, toExpPos: 60 });
export type Dec = InstanceType<typeof Dec>;

/** ISO 4217 minor units; 2 unless listed. */
const MINOR_UNITS: Record<string, number> = { JPY: 0, KRW: 0, BHD: 3, KWD: 3 };
export const minorUnits = (currency: string) => MINOR_UNITS[currency] ?? 2;

/** Rounds once, half-even, to the currency's minor unit: the only rounding in billing. */
export function roundMoney(amount: Dec, currency: string): Dec {
  return amount.toDecimalPlaces(minorUnits(currency), Dec.ROUND_HALF_EVEN);
}

/** "12.50": fixed minor-unit digits, as the API shows money. */
export const formatMoney = (amount: Dec, currency: string) => amount.toFixed(minorUnits(currency));

/** An exact decimal without exponent or trailing zeros ("0.0309375"). */
export const formatExact = (d: Dec) => {
  const s = d.toFixed();
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
};


/** Markup percent → price factor: 12.5 → 1.125; -10 → 0.9. */
export const markupFactor = (percent: string | undefined | null) => new Dec(1).plus(new Dec(percent ?? '0').div(100));
