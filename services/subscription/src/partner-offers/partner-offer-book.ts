import type { PartnerOfferFact, PartnerOfferPriceFact, ReadModels } from '../readmodel/readmodel.models';

export interface PartnerOfferView extends PartnerOfferFact {
  prices: PartnerOfferPriceFact[];
  retiredAt?: Date;
}

/** The price in force at `at`: the latest effective on or before it (the earliest before any). */
export function priceAt(prices: PartnerOfferPriceFact[], at: Date): PartnerOfferPriceFact | undefined {
  const sorted = [...prices].sort((a, b) => a.effectiveFrom.getTime() - b.effectiveFrom.getTime() || (a._id < b._id ? -1 : 1));
  return [...sorted].reverse().find((p) => p.effectiveFrom.getTime() <= at.getTime()) ?? sorted[0];
}

/** Partner offers from the read model with their prices and retirement, three queries per batch. */
export async function loadPartnerOffers(rm: ReadModels, filter: { ids?: string[]; publisherId?: string }): Promise<Map<string, PartnerOfferView>> {
  const q = filter.ids ? { _id: { $in: filter.ids } } : { publisherId: filter.publisherId };
  const offers = await rm.partnerOffers.find(q).lean<PartnerOfferFact[]>();
  if (!offers.length) return new Map();
  const ids = offers.map((o) => o._id);
  const [prices, retired] = await Promise.all([
    rm.partnerOfferPrices.find({ offerId: { $in: ids } }).lean<PartnerOfferPriceFact[]>(),
    rm.partnerOffersRetired.find({ _id: { $in: ids } }).lean<Array<{ _id: string; at: Date }>>(),
  ]);
  const retiredAt = new Map(retired.map((r) => [r._id, r.at]));
  return new Map(
    offers.map((o) => [o._id, { ...o, prices: prices.filter((p) => p.offerId === o._id), ...(retiredAt.has(o._id) ? { retiredAt: retiredAt.get(o._id) } : {}) }]),
  );
}

/** Partner offer ids carry this prefix (the catalog's newId('pof')). */
export const isPartnerOfferId = (id: string) => id.startsWith('pof_');
