/** Events the catalog service publishes. Prices are decimal strings, never floats. */
export interface MarketSnapshot {
  code: string;
  name: string;
  currency: string;
  countries: string[];
}

export interface CatalogEvents {
  'market.upserted': MarketSnapshot;
  'offer.published': {
    offerId: string;
    name: string;
    family: 'AZURE' | 'OFFICE_365' | 'DYNAMICS_365' | 'THIRD_PARTY';
    billingType: 'USAGE' | 'LICENSE';
    minQuantity: number;
    maxQuantity: number;
    /** LICENSE offers: monthly unit price per market. */
    prices: Array<{ market: string; currency: string; unitPrice: string }>;
  };
  'offer.availabilityChanged': { offerId: string; availability: Array<{ market: string; availableFrom: string }> };
  'rateCard.published': {
    market: string;
    currency: string;
    effectiveFrom: string;
    meters: Array<{ id: string; name: string; category: string; unit: string; rates: Array<{ fromQuantity: string; price: string }> }>;
  };
}
