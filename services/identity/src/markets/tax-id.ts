import { badInput } from '@csp/kernel';
import { checkVAT, countries } from 'jsvat';

/** Countries whose VAT number shape jsvat knows (EU members, CH, NO, GB, ...). */
const KNOWN = new Map(countries.map((c) => [c.codes[0], c]));

/**
 * A party's tax id (VAT number), validated for shape: for countries jsvat knows, the national
 * format with its country prefix (Greece: EL); elsewhere 4 to 20 letters, digits, dots or
 * dashes. Billing uses it for reverse charge; the checksum is the tax office's business.
 */
export function taxIdOf(value: string | null | undefined, country: string, field = 'taxId'): string | undefined {
  if (value == null || value.trim() === '') return undefined;
  const v = value.replace(/[\s]/g, '').toUpperCase();
  const known = KNOWN.get(country);
  if (known) {
    const r = checkVAT(v, [known]);
    if (!r.isValidFormat) throw badInput(`${field} ${JSON.stringify(value)} is not a VAT number of ${known.name} (e.g. ${country === 'GR' ? 'EL' : country}123456789).`, field);
    return r.value ?? v;
  }
  if (!/^[A-Z0-9][A-Z0-9.-]{3,19}$/.test(v)) throw badInput(`${field} must be 4 to 20 letters, digits, dots or dashes.`, field);
  return v;
}
