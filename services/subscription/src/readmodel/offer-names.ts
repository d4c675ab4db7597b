import { bumpOnWrite, redisKeys, VersionedCache } from '@csp/kernel';
import type { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import type { readModels } from './readmodel.models';

/** The cached value the offer read models feed (their schemas say `changesCache(…, OFFER_NAMES)`). */
export const OFFER_NAMES = 'offer-names';

/**
 * Names of vendor and partner offers, read on every subscription page and changed only by
 * catalog events: kept per process, dropped on every replica by any write to either read model.
 */
export function offerNames(redis: Redis, prefix: string, conn: Connection, rm: Pick<ReturnType<typeof readModels>, 'offers' | 'partnerOffers'>) {
  const cache = new VersionedCache(redis, redisKeys(prefix).cacheVersion(conn.name, OFFER_NAMES), async () => {
    const [vendor, partner] = await Promise.all([
      rm.offers.find({}, { name: 1 }).lean<Array<{ _id: string; name?: string }>>(),
      rm.partnerOffers.find({}, { name: 1 }).lean<Array<{ _id: string; name?: string }>>(),
    ]);
    return new Map([...vendor, ...partner].map((d) => [d._id, d.name ?? null]));
  });
  bumpOnWrite(conn, OFFER_NAMES, cache);
  return {
    async of(ids: readonly string[]): Promise<Array<string | null>> {
      const names = await cache.get();
      return ids.map((id) => names.get(id) ?? null);
    },
  };
}
