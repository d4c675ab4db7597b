import { badInput } from '@csp/kernel';

/** Market codes become keys of the offer's availability map: letters, digits and _ only. */
export const MARKET_CODE = /^[A-Z][A-Z0-9_]{1,15}$/;
export const METER_ID = /^[a-z][a-z0-9_.-]{2,63}$/;

// Country and currency codes: the kernel's rules (packages/kernel/src/rules).

export function marketCode(value: string, field = 'market'): string {
  const code = value.trim().toUpperCase();
  if (!MARKET_CODE.test(code)) throw badInput(`"${value}" is not a market code.`, field);
  return code;
}
