import { badInput } from '@csp/kernel';

/** ISO 3166-1 alpha-2, upper-cased. */
export function countryCode(value: string, field = 'country'): string {
  const c = value.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(c)) throw badInput(`${field} must be an ISO 3166-1 alpha-2 code such as "DE".`, field);
  return c;
}

/** ISO 4217, upper-cased. */
export function currencyCode(value: string, field = 'currency'): string {
  const c = value.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(c)) throw badInput(`${field} must be an ISO 4217 code such as "EUR".`, field);
  return c;
}
