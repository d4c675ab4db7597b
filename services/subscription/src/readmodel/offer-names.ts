import { cachedById } from '@csp/kernel';
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
  const names = cachedById({ redis, prefix, conn }, OFFER_NAMES, async () => {
    const [vendor, partner] = await Promise.all([
      rm.offers.find({}, { name: 1 }).lean<Array<{ _id: string; name?: string }>>(),
      rm.partnerOffers.find({}, { name: 1 }).lean<Array<{ _id: string; name?: string }>>(),
    ]);
    return [...vendor, ...partner];
  });
  return {
    of: async (ids: readonly string[]): Promise<Array<string | null>> => (await names.byIds(ids)).map((d) => d?.name ?? null),
  };
}
