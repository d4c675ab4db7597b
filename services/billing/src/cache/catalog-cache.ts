import { redisKeys, VersionedCache, type Handler } from '@csp/kernel';
import type { Redis } from 'ioredis';
import type { Model } from 'mongoose';
import type { OfferDoc, OfferPriceDoc } from '../catalog/offer.model';
import { PriceBook } from '../catalog/price-book';
import type { RateCardDoc } from '../catalog/rate-card.model';
import type { MarkupDoc } from '../pricing/pricing.model';

/** Markups by id, from memory (see `MarkupSource` in pricing/price-factors). */
export interface MarkupLookup {
  byIds(ids: string[]): Promise<MarkupDoc[]>;
}

/**
 * Billing's catalog facts (rate cards, offers, offer prices) and markups change rarely and were
 * re-read on every request and job; they are kept per process and reloaded when they change.
 */
export function catalogCaches(
  store: { redis: Redis; prefix: string; db: string },
  models: { rateCards: Model<RateCardDoc>; offerPrices: Model<OfferPriceDoc>; offers: Model<OfferDoc>; markups: Model<MarkupDoc> },
) {
  const key = (what: string) => redisKeys(store.prefix).cacheVersion(store.db, what);
  const priceBook = new VersionedCache(store.redis, key('price-book'), () => PriceBook.load(models));
  const markupMap = new VersionedCache(store.redis, key('markups'), async () => {
    const docs = await models.markups.find().lean<MarkupDoc[]>();
    return new Map(docs.map((d) => [d._id, d]));
  });
  const markups: MarkupLookup = {
    byIds: async (ids) => {
      const all = await markupMap.get();
      return ids.flatMap((id) => all.get(id) ?? []);
    },
  };
  return { priceBook, markupMap, markups };
}

export type CatalogCaches = ReturnType<typeof catalogCaches>;

/** Events whose handlers change a cached read model. */
const CHANGES_PRICE_BOOK = new Set(['offer.published', 'rateCard.published']);

/** The billing event handlers, each bumping the caches its event changed once its write is done. */
export function invalidatingCaches(handlers: Record<string, Handler>, caches: CatalogCaches): Record<string, Handler> {
  return Object.fromEntries(
    Object.entries(handlers).map(([type, handle]) => [
      type,
      CHANGES_PRICE_BOOK.has(type)
        ? (async (ev, ...rest) => {
            await (handle as (...a: unknown[]) => Promise<void>)(ev, ...rest);
            await caches.priceBook.bump();
          }) as Handler
        : handle,
    ]),
  );
}
