import { initModels, type Runtime } from '@csp/kernel';
import { catalogEnv } from './config';
import { marketCountryModel, marketModel } from './markets/market.model';
import { MarketService } from './markets/market.service';
import { offerModel } from './offers/offer.model';
import { OfferService } from './offers/offer.service';
import { catalogPartnerModel, partnerOfferModel } from './partner-offers/partner-offer.model';
import { PartnerOfferService } from './partner-offers/partner-offer.service';
import { meterModel, rateCardModel } from './rate-cards/rate-card.model';
import { RateCardService } from './rate-cards/rate-card.service';
import { seedCatalog } from './seed';

/** Built once per process; resolvers reach it through the context. */
export async function buildDeps(rt: Runtime<typeof catalogEnv>) {
  const settings = rt.settings;
  const conn = rt.mongo.connection;
  const markets = marketModel(conn);
  const marketCountries = marketCountryModel(conn);
  const offers = offerModel(conn);
  const rateCards = rateCardModel(conn);
  const meters = meterModel(conn);
  const partnerOffers = partnerOfferModel(conn);
  const partners = catalogPartnerModel(conn);
  // Unique indexes first: the seed and the country claims rely on them.
  await initModels({ markets, marketCountries, offers, rateCards, meters, partnerOffers, partners });
  const marketService = new MarketService(rt, markets, marketCountries);
  const offerService = new OfferService(rt, offers, marketService);
  const rateCardService = new RateCardService(rt, rateCards, meters, marketService);
  const partnerOfferService = new PartnerOfferService(rt, partnerOffers, partners, offers);
  const deps = { rt, clock: rt.clock, settings, marketService, offerService, rateCardService, partnerOfferService };
  if (settings.CATALOG_SEED === 'on') await seedCatalog(deps);
  return deps;
}

export type CatalogDeps = Awaited<ReturnType<typeof buildDeps>>;
