import { Dec, formatExact, formatMoney, roundMoney } from '../money/decimal';
import type { TaxRateDoc } from './tax-rate.model';

/** EU member states (ISO 3166-1 alpha-2), for the intra-EU reverse charge. */
export const EU_COUNTRIES = new Set(['AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE']);

export const REVERSE_CHARGE_NOTE = 'Reverse charge: VAT to be accounted for by the recipient (Article 196, Council Directive 2006/112/EC).';
export const OUTSIDE_EU_NOTE = 'Not subject to EU VAT: the place of supply is outside the EU (Article 44, Council Directive 2006/112/EC).';

export interface TaxParties {
  sellerCountry?: string;
  buyerCountry?: string;
  buyerTaxId?: string;
}

/** The tax treatment of one invoice: one rate on its whole subtotal, or none when no rate applies. */
export interface TaxTreatment {
  description: string;
  ratePercent: string;
  /** Printed on the invoice (reverse charge, outside scope). */
  legalNote?: string;
}

/**
 * Place of supply of these (electronically supplied) services is the buyer's country. A business
 * buyer (one with a tax id) in another EU country than an EU seller accounts for the VAT itself:
 * reverse charge, 0 %. A business buyer outside the EU of an EU seller: outside EU VAT, 0 %.
 * Otherwise the buyer country's rate in force on the tax day; a country the operator published
 * no rate for gets no tax line (the invoice total is its subtotal).
 */
export function taxTreatment(p: TaxParties, rates: TaxRateDoc[], taxDay: string): TaxTreatment | undefined {
  const seller = p.sellerCountry;
  const buyer = p.buyerCountry;
  if (!buyer) return undefined;
  const business = !!p.buyerTaxId;
  if (business && seller && EU_COUNTRIES.has(seller) && seller !== buyer) {
    if (EU_COUNTRIES.has(buyer)) return { description: `VAT reverse charge 0 % (buyer ${p.buyerTaxId})`, ratePercent: '0', legalNote: REVERSE_CHARGE_NOTE };
    return { description: 'VAT 0 % (outside the EU)', ratePercent: '0', legalNote: OUTSIDE_EU_NOTE };
  }
  const rate = rateOn(rates, buyer, taxDay);
  if (!rate) return undefined;
  return { description: `VAT ${formatExact(new Dec(rate.ratePercent))} % (${buyer})`, ratePercent: formatExact(new Dec(rate.ratePercent)) };
}

/** The rate of `country` in force on `day` (latest validFrom ≤ day). */
export function rateOn(rates: TaxRateDoc[], country: string, day: string): TaxRateDoc | undefined {
  return rates.filter((r) => r.country === country && r.validFrom <= day).sort((a, b) => (a.validFrom < b.validFrom ? 1 : -1))[0];
}

/** Tax of a base at a percent rate, rounded once half-even to the currency's minor unit. */
export const taxAmount = (base: Dec, ratePercent: string, currency: string) => roundMoney(base.times(ratePercent).div(100), currency);

export const money = formatMoney;
