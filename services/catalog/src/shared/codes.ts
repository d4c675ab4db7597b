import { badInput } from '@csp/kernel';

/** Market codes become keys of the offer's availability map: letters, digits and _ only. */
export const MARKET_CODE = /^[A-Z][A-Z0-9_]{1,15}$/;
export const COUNTRY_CODE = /^[A-Z]{2}$/;
export const CURRENCY_CODE = /^[A-Z]{3}$/;
export const METER_ID = /^[a-z][a-z0-9_.-]{2,63}$/;

export function countryCode(value: string, field = 'country'): string {
  const code = value.trim().toUpperCase();
  if (!COUNTRY_CODE.test(code)) throw badInput(`"${value}" is not an ISO 3166-1 alpha-2 country code.`, field);
  return code;
}

export function marketCode(value: string, field = 'market'): string {
  const code = value.trim().toUpperCase();
  if (!MARKET_CODE.test(code)) throw badInput(`"${value}" is not a market code.`, field);
  return code;
}
