/** Events the catalog service publishes. Prices and quantities are decimal strings, never floats. */
export type OfferFamily = 'AZURE' | 'OFFICE_365' | 'DYNAMICS_365' | 'THIRD_PARTY';
export type BillingType = 'USAGE' | 'LICENSE';

export interface MarketSnapshot {
  code: string;
  name: string;
  currency: string;
  countries: string[];
}

/** From `availableFrom` on, the offer may be listed and ordered in `market`. */
export interface OfferAvailability {
  market: string;
  /** ISO 8601 instant. */
  availableFrom: string;
}

export interface RateTierSnapshot {
  /** Tier starts at this quantity (decimal string); the first tier starts at "0". */
  fromQuantity: string;
  /** Price per unit within the tier, in the card's currency (decimal string). */
  price: string;
}

export interface RateCardMeterSnapshot {
  id: string;
  name: string;
  category: string;
  unit: string;
  rates: RateTierSnapshot[];
}

/** A market's usage prices from `effectiveFrom` until the next card of that market takes over. */
export interface RateCardSnapshot {
  market: string;
  currency: string;
  /** ISO 8601 instant. */
  effectiveFrom: string;
  meters: RateCardMeterSnapshot[];
}

export interface CatalogEvents {
  'market.upserted': MarketSnapshot;
  'offer.published': {
    offerId: string;
    name: string;
    family: OfferFamily;
    billingType: BillingType;
    minQuantity: number;
    maxQuantity: number;
    /** LICENSE offers: monthly unit price per market. */
    prices: Array<{ market: string; currency: string; unitPrice: string }>;
    /** Per offer, grows with every change; a consumer keeps the highest it has seen. */
    revision?: number;
    /** ISO 8601 instant from which `prices` apply: the publish time, back-dated for the seed catalog. */
    pricesEffectiveFrom?: string;
  };
  /** The offer's whole availability after the change (not a delta), with the dates. */
  'offer.availabilityChanged': { offerId: string; availability: OfferAvailability[]; revision?: number };
  /** A new card; older cards of the market stay in force for the dates before its `effectiveFrom`. */
  'rateCard.published': RateCardSnapshot;
}

/**
 * The card of one market in force at `at`: the latest `effectiveFrom` not after `at`. Cards of
 * other markets are ignored; undefined when none had taken effect yet. Pure, for billing's read model.
 */
export function rateCardAt<C extends Pick<RateCardSnapshot, 'market' | 'effectiveFrom'>>(
  cards: readonly C[],
  market: string,
  at: Date | string,
): C | undefined {
  const t = new Date(at).getTime();
  let best: C | undefined;
  for (const card of cards) {
    const from = Date.parse(card.effectiveFrom);
    if (card.market !== market || from > t) continue;
    if (!best || from > Date.parse(best.effectiveFrom)) best = card;
  }
  return best;
}

/** "The rate of meter M in market K on day D": that meter's tiers in the card then in force. */
export function meterRatesAt(cards: readonly RateCardSnapshot[], market: string, meterId: string, at: Date | string): RateTierSnapshot[] | undefined {
  return rateCardAt(cards, market, at)?.meters.find((m) => m.id === meterId)?.rates;
}

/** Whether an offer with this availability may be listed and ordered in `market` at `at`. */
export function isAvailableAt(availability: readonly OfferAvailability[], market: string, at: Date | string): boolean {
  const t = new Date(at).getTime();
  return availability.some((a) => a.market === market && Date.parse(a.availableFrom) <= t);
}
