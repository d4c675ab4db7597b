import DecimalJs from 'decimal.js';
import { code as iso4217 } from 'currency-codes';

/** Exact decimals for money: 60 significant digits, never a JS float. */
export const Dec = DecimalJs.clone({ precision: 60, rounding: DecimalJs.ROUND_HALF_EVEN, toExpNeg: -40, toExpPos: 60 });
export type Dec = InstanceType<typeof Dec>;

/** ISO 4217 minor units (the published table, via currency-codes): JPY 0, EUR 2, BHD 3, CLF 4; 2 for a code it lacks. */
export const minorUnits = (currency: string) => iso4217(currency)?.digits ?? 2;

/** True for a currency code of the ISO 4217 list. */
export const isIsoCurrency = (currency: string) => /^[A-Z]{3}$/.test(currency) && iso4217(currency) !== undefined;

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
