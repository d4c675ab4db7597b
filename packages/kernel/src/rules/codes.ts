import { badInput } from '../graph/errors';

/**
 * Real codes only, from the ICU data built into Node (no list of our own to go stale):
 * currencies in use today (no XXX, XTS, precious metals or withdrawn codes) and regions that
 * are ISO 3166-1 countries (no ZZ, EU, UN, Q* or X* private-use codes).
 */
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const REGION_NAMES = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
const NOT_COUNTRIES = new Set(['ZZ', 'EU', 'EZ', 'UN', 'AA']);

export const isCurrencyCode = (code: string) => /^[A-Z]{3}$/.test(code) && CURRENCIES.has(code);

export function isCountryCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code) || NOT_COUNTRIES.has(code) || /^(Q[M-Z]|X[A-Z])$/.test(code)) return false;
  const name = REGION_NAMES.of(code);
  return !!name && name !== code;
}

/** ISO 3166-1 alpha-2, upper-cased, or BAD_USER_INPUT naming `field`. */
export function countryCode(value: string, field = 'country'): string {
  const code = String(value).trim().toUpperCase();
  if (!isCountryCode(code)) throw badInput(`${field}: ${JSON.stringify(value).slice(0, 20)} is not an ISO 3166-1 alpha-2 country code such as "DE".`, field);
  return code;
}

/**
 * ISO 4217, upper-cased; when `allowed` is given (the market's or the agreement's currencies),
 * one of those too.
 */
export function currencyCode(value: string, field = 'currency', allowed?: readonly string[]): string {
  const code = String(value).trim().toUpperCase();
  if (!isCurrencyCode(code)) throw badInput(`${field}: ${JSON.stringify(value).slice(0, 20)} is not an ISO 4217 currency code in use, such as "EUR".`, field);
  if (allowed && !allowed.includes(code)) throw badInput(`${field}: ${code} is not allowed here; use ${allowed.join(' or ')}.`, field);
  return code;
}
