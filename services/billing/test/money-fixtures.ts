import type { EventMap } from '@csp/events';
import { Dec } from '../src/money/decimal';
import { subFact, waitFor, type BillingStack } from './billing-fixtures';

/**
 * A channel in the EUR market (DE) whose relationships bill in other currencies:
 *   CHF partner (DE, tax id) ── USD customer (DE, no tax id), EUR customer in FR (tax id)
 *   EUR partner (DE, no tax id) ── EUR customer (DE)
 *   GBP partner (GB) ── GBP customer (GB)
 * The vendor sells from IE. Office 365: 10.00 EUR a licence and month, 12.00 from 2026-10-16.
 * Compute: 0.10 EUR a unit.
 */
export const M = {
  chf: 'ptn_chf0001',
  eur: 'ptn_eur0001',
  gbp: 'ptn_gbp0001',
  usdCustomer: 'cus_usd0001',
  frCustomer: 'cus_fr00001',
  eurCustomer: 'cus_eur0001',
  gbpCustomer: 'cus_gbp0001',
  o365: 'off_m_o365',
  azure: 'off_m_azure',
  meter: 'mtr_m_compute',
  chfTaxId: 'DE123456789',
  frTaxId: 'FR12345678901',
};

export async function seedMoneyWorld(s: BillingStack): Promise<void> {
  const partner = (partnerId: string, name: string, country: string, currency: string, taxId?: string) =>
    s.publish('partner.onboarded', { partnerId, name, tier: 'DIRECT_PROVIDER', country, market: 'DE', currency, adminAgentsGroupId: `grp_${partnerId}`, ...(taxId ? { taxId } : {}) });
  await partner(M.chf, 'Helvetia Cloud AG', 'DE', 'CHF', M.chfTaxId);
  await partner(M.eur, 'Euro Cloud GmbH', 'DE', 'EUR');
  await partner(M.gbp, 'Pound Cloud Ltd', 'GB', 'GBP');
  const customer = (customerId: string, companyName: string, partnerId: string, country: string, currency: string, taxId?: string) =>
    s.publish('customer.created', { customerId, companyName, domain: `${customerId}.example`, country, currency, partnerId, ...(taxId ? { taxId } : {}) });
  await customer(M.usdCustomer, 'Dollar Buyer Inc', M.chf, 'DE', 'USD');
  await customer(M.frCustomer, 'Acheteur SARL', M.chf, 'FR', 'EUR', M.frTaxId);
  await customer(M.eurCustomer, 'Euro Buyer KG', M.eur, 'DE', 'EUR');
  await customer(M.gbpCustomer, 'Pound Buyer Ltd', M.gbp, 'GB', 'GBP');
  const offer = (price: string, from: string) =>
    s.publish('offer.published', {
      offerId: M.o365,
      name: 'Office 365 E3',
      family: 'OFFICE_365',
      billingType: 'LICENSE',
      minQuantity: 1,
      maxQuantity: 1000,
      prices: [{ market: 'DE', currency: 'EUR', unitPrice: price }],
      pricesEffectiveFrom: from,
    } as EventMap['offer.published']);
  await offer('10.00', '2026-01-01T00:00:00.000Z');
  await offer('12.00', '2026-10-16T00:00:00.000Z');
  await s.publish('offer.published', { offerId: M.azure, name: 'Azure plan', family: 'AZURE', billingType: 'USAGE', minQuantity: 1, maxQuantity: 1, prices: [] });
  await s.publish('rateCard.published', {
    market: 'DE',
    currency: 'EUR',
    effectiveFrom: '2026-01-01',
    meters: [{ id: M.meter, name: 'Compute hours', category: 'Compute', unit: 'hour', rates: [{ fromQuantity: '0', price: '0.10' }] }],
  });
  const m = s.billing.deps.models;
  await waitFor('money directory', async () => (await m.partners.countDocuments()) === 3 && (await m.customers.countDocuments()) === 4 && (await m.offerPrices.countDocuments()) === 2 && (await m.rateCards.countDocuments()) === 1);
}

/** Subscriptions of October: S1 licences and S2 usage for the USD customer, S3 for the FR one, S4 EUR, S5 GBP. */
export const SUBS = { s1: 'sub_m_lic_usd', s2: 'sub_m_use_usd', s3: 'sub_m_use_fr', s4: 'sub_m_use_eur', s5: 'sub_m_use_gbp' };

export async function seedMoneySubscriptions(s: BillingStack): Promise<void> {
  const at = '2026-09-01T00:00:00.000Z';
  await subFact(s, 'activated', { subscriptionId: SUBS.s1, customerId: M.usdCustomer, partnerId: M.chf, offerId: M.o365, billingType: 'LICENSE', quantity: 3, at });
  await subFact(s, 'activated', { subscriptionId: SUBS.s2, customerId: M.usdCustomer, partnerId: M.chf, offerId: M.azure, billingType: 'USAGE', quantity: 1, at });
  await subFact(s, 'activated', { subscriptionId: SUBS.s3, customerId: M.frCustomer, partnerId: M.chf, offerId: M.azure, billingType: 'USAGE', quantity: 1, at });
  await subFact(s, 'activated', { subscriptionId: SUBS.s4, customerId: M.eurCustomer, partnerId: M.eur, offerId: M.azure, billingType: 'USAGE', quantity: 1, at });
  await subFact(s, 'activated', { subscriptionId: SUBS.s5, customerId: M.gbpCustomer, partnerId: M.gbp, offerId: M.azure, billingType: 'USAGE', quantity: 1, at });
  await waitFor('money facts', async () => (await s.billing.deps.models.subFacts.countDocuments()) >= 5);
}

export const cents = (d: Dec | string | number, dp = 2) => new Dec(d).toDecimalPlaces(dp, Dec.ROUND_HALF_EVEN);

/** Sum of the `amount` column of a reconciliation CSV (no quoted commas in these amounts). */
export function csvColumn(csv: string, name: string): string[] {
  const rows = csv.trim().split('\r\n');
  const header = rows[0].split(',');
  const at = header.indexOf(name);
  if (at < 0) throw new Error(`no column ${name} in ${rows[0]}`);
  // Descriptions may hold quoted commas: count from the end, the rate columns are the last three.
  const fromEnd = header.length - at;
  return rows.slice(1).map((r) => {
    const cells = r.split(',');
    return cells[cells.length - fromEnd];
  });
}
