import type { BillingType, OfferFamily } from '@csp/events';

export interface SeedOffer {
  id: string;
  name: string;
  family: OfferFamily;
  billingType: BillingType;
  minQuantity: number;
  maxQuantity: number;
  /** LICENSE: monthly price per seat in USD, converted per market. */
  usdPrice?: string;
  /** Markets it is available in (all when absent). */
  markets?: string[];
}

export const SEED_OFFERS: SeedOffer[] = [
  { id: 'off_azure_plan', name: 'Azure plan', family: 'AZURE', billingType: 'USAGE', minQuantity: 1, maxQuantity: 1 },
  { id: 'off_o365_e3', name: 'Office 365 E3', family: 'OFFICE_365', billingType: 'LICENSE', minQuantity: 1, maxQuantity: 10000, usdPrice: '23.00' },
  { id: 'off_o365_e5', name: 'Office 365 E5', family: 'OFFICE_365', billingType: 'LICENSE', minQuantity: 1, maxQuantity: 10000, usdPrice: '38.00' },
  {
    id: 'off_m365_business_premium',
    name: 'Microsoft 365 Business Premium',
    family: 'OFFICE_365',
    billingType: 'LICENSE',
    minQuantity: 1,
    maxQuantity: 300,
    usdPrice: '22.00',
  },
  {
    id: 'off_d365_sales_enterprise',
    name: 'Dynamics 365 Sales Enterprise',
    family: 'DYNAMICS_365',
    billingType: 'LICENSE',
    minQuantity: 1,
    maxQuantity: 1000,
    usdPrice: '105.00',
  },
  {
    id: 'off_d365_business_central_essentials',
    name: 'Dynamics 365 Business Central Essentials',
    family: 'DYNAMICS_365',
    billingType: 'LICENSE',
    minQuantity: 1,
    maxQuantity: 1000,
    usdPrice: '80.00',
  },
  {
    id: 'off_contoso_backup',
    name: 'Contoso Backup for Microsoft 365',
    family: 'THIRD_PARTY',
    billingType: 'LICENSE',
    minQuantity: 5,
    maxQuantity: 5000,
    usdPrice: '3.50',
    markets: ['UK', 'US'],
  },
];
