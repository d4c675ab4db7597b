import type { Caller } from '@csp/kernel';
import DataLoader from 'dataloader';
import type { MarketDoc } from './markets/market.model';
import { toMarket, type Market } from './markets/market.type';
import { toOffer, type Offer } from './offers/offer.type';
import type { MeterDoc } from './rate-cards/rate-card.model';
import { toMeter, type Meter } from './rate-cards/rate-card.type';
import type { CatalogDeps } from './deps';
import type { PartnerOfferDoc } from './partner-offers/partner-offer.model';

/** Per-request batch loaders: one store query per entity type per request. */
export function catalogLoaders(deps: CatalogDeps, _caller: Caller | null) {
  const { marketService, offerService, rateCardService, partnerOfferService } = deps;
  const market = new DataLoader<string, Market | null>(async (codes) => {
    const docs = await marketService.markets.find({ _id: { $in: [...codes] } }).lean<MarketDoc[]>();
    const byCode = new Map(docs.map((d) => [d._id, toMarket(d)]));
    return codes.map((c) => byCode.get(c) ?? null);
  });
  return {
    market,
    /** Country → its market (two queries per batch: the claims, then their markets). */
    marketOfCountry: new DataLoader<string, Market | null>(async (countries) => {
      const claims = await marketService.countries.find({ _id: { $in: [...countries] } }).lean();
      const marketOf = new Map(claims.map((c) => [c._id, c.market]));
      return Promise.all(countries.map(async (c) => (marketOf.has(c) ? market.load(marketOf.get(c)!) : null)));
    }),
    offer: new DataLoader<string, Offer | null>(async (ids) => (await deps.cachedOffers.byIds(ids)).map((d) => (d ? toOffer(d) : null))),
    partnerOffer: new DataLoader<string, PartnerOfferDoc | null>(async (ids) => {
      const docs = await partnerOfferService.offers.find({ _id: { $in: [...ids] } }, { outbox: 0 }).lean<PartnerOfferDoc[]>();
      const byId = new Map(docs.map((d) => [d._id, d]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    meter: new DataLoader<string, Meter | null>(async (ids) => {
      const docs = await rateCardService.meters.find({ _id: { $in: [...ids] } }).lean<MeterDoc[]>();
      const byId = new Map(docs.map((d) => [d._id, toMeter(d)]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}

export type CatalogLoaders = ReturnType<typeof catalogLoaders>;
