import { redisKeys, VersionedCache, type Handler } from '@csp/kernel';
import type { Redis } from 'ioredis';
import type { Model } from 'mongoose';
import type { OfferDoc, OfferPriceDoc } from '../catalog/offer.model';
import { PriceBook } from '../catalog/price-book';
import type { RateCardDoc } from '../catalog/rate-card.model';
import type { MarkupVersionDoc } from '../pricing/markup-schedule.model';
import type { MarkupSource } from '../pricing/price-factors';
import type { MarkupDoc } from '../pricing/pricing.model';


/**
 * Billing's catalog facts (rate cards, offers, offer prices) and markups change rarely and were
 * re-read on every request and job; they are kept per process and reloaded when they change.
 */
export function catalogCaches(
  store: { redis: Redis; prefix: string; db: string },
  models: { rateCards: Model<RateCardDoc>; offerPrices: Model<OfferPriceDoc>; offers: Model<OfferDoc>; markups: Model<MarkupDoc>; markupSchedule: Model<MarkupVersionDoc> },
) {
  const key = (what: string) => redisKeys(store.prefix).cacheVersion(store.db, what);
  const priceBook = new VersionedCache(store.redis, key('price-book'), () => PriceBook.load(models));
  const markupMap = new VersionedCache(store.redis, key('markups'), async () => {
    const [legacy, versions] = await Promise.all([models.markups.find().lean<MarkupDoc[]>(), models.markupSchedule.find().lean<MarkupVersionDoc[]>()]);
    const scheduled = new Map<string, MarkupVersionDoc[]>();
    for (const v of versions) scheduled.set(v.markupId, [...(scheduled.get(v.markupId) ?? []), v]);
    return { legacy: new Map(legacy.map((d) => [d._id, d])), scheduled };
  });
  const markups: MarkupSource = {
    schedules: async (ids) => {
      const { legacy, scheduled } = await markupMap.get();
      return { legacy: ids.flatMap((id) => legacy.get(id) ?? []), versions: ids.flatMap((id) => scheduled.get(id) ?? []) };
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
