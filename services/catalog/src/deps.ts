import { aggregateLocks, cachedById, initModels, type Runtime } from '@csp/kernel';
import { catalogEnv } from './config';
import { marketCountryModel, marketModel } from './markets/market.model';
import { MarketService } from './markets/market.service';
import { OFFERS, offerModel, type OfferDoc } from './offers/offer.model';
import { OfferService } from './offers/offer.service';
import { catalogPartnerModel, partnerOfferModel } from './partner-offers/partner-offer.model';
import { PartnerOfferService } from './partner-offers/partner-offer.service';
import { meterModel, rateCardModel } from './rate-cards/rate-card.model';
import { RateCardService } from './rate-cards/rate-card.service';
import { seedCatalog } from './seed';

/** Built once per process: what resolvers and domain code need, never the Runtime itself. */
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
  const { clock, logger } = rt;
  const locks = aggregateLocks(rt.redis, rt.config.REDIS_PREFIX);
  const marketService = new MarketService(clock, locks, markets, marketCountries);
  const offerService = new OfferService(clock, locks, offers, marketService);
  const rateCardService = new RateCardService(clock, rateCards, meters, marketService);
  const partnerOfferService = new PartnerOfferService(clock, locks, partnerOffers, partners, offers);
  // Offers are read on every page that names one and change only when the vendor publishes.
  const cachedOffers = cachedById({ redis: rt.redis, prefix: rt.config.REDIS_PREFIX, conn }, OFFERS, () => offers.find().lean<OfferDoc[]>());
  const deps = { clock, logger, settings, marketService, offerService, rateCardService, partnerOfferService, cachedOffers };
  if (settings.CATALOG_SEED === 'on') await seedCatalog(deps);
  return deps;
}

export type CatalogDeps = Awaited<ReturnType<typeof buildDeps>>;
