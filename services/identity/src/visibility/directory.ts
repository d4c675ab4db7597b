import { bumpOnWrite, cachedById, redisKeys, VersionedCache, type Caller } from '@csp/kernel';
import type { Redis } from 'ioredis';
import type { Connection, Model } from 'mongoose';
import type { PartnerDoc } from '../partners/partner.model';
import type { View, Visibility } from './visibility';

/** Cached values, each fed by the collections whose schemas name it (`changesCache`). */
export const DIRECTORY = 'directory'; // relationships, reseller links, customers: who sees whom
export const PARTNERS = 'partners';

/**
 * The partner directory and every partner's view (which customers and resellers it sees) are
 * read on every request and change rarely: they are kept per process and dropped by any write
 * to the collections behind them (on every replica: a version in Redis, one GET per read).
 * A view is computed on first use per partner and version, so a partner with many customers
 * no longer re-reads all its relationships per request.
 */
export function directoryCache(redis: Redis, prefix: string, conn: Connection, visibility: Visibility, partners: Model<PartnerDoc>) {
  const key = (what: string) => redisKeys(prefix).cacheVersion(conn.name, what);
  const views = new VersionedCache(redis, key(DIRECTORY), async () => new Map<string, Promise<unknown>>());
  const partnerDocs = cachedById({ redis, prefix, conn }, PARTNERS, () => partners.find({}, { outbox: 0 }).lean<PartnerDoc[]>());
  bumpOnWrite(conn, DIRECTORY, views);

  const memo = async <T>(k: string, compute: () => Promise<T>): Promise<T> => {
    const held = await views.get();
    let v = held.get(k) as Promise<T> | undefined;
    if (!v) {
      v = compute();
      held.set(k, v);
      v.catch(() => held.delete(k)); // a failed read is not remembered
    }
    return v;
  };
  // A view depends only on whose it is: the partner (users and machine clients alike) or the customer.
  const whose = (caller: Caller | null) =>
    caller?.kind === 'CUSTOMER_USER' && caller.customerId ? `c:${caller.customerId}` : caller?.partnerId && (caller.kind === 'PARTNER_USER' || caller.kind === 'SERVICE') ? `p:${caller.partnerId}` : undefined;

  return {
    /** What the caller may see (shared between requests: never modify it). */
    view(caller: Caller | null): Promise<View> {
      const k = whose(caller);
      return k?.startsWith('p:') ? memo(`view:${k}`, () => visibility.of(caller)) : visibility.of(caller);
    },
    relatedPartners(caller: Caller | null): Promise<Set<string>> {
      const k = whose(caller);
      return k ? memo(`related:${k}`, () => visibility.relatedPartnersOf(caller)) : visibility.relatedPartnersOf(caller);
    },
    async partners(ids: readonly string[]): Promise<PartnerDoc[]> {
      return (await partnerDocs.byIds(ids)).filter((d): d is PartnerDoc => !!d);
    },
  };
}

export type DirectoryCache = ReturnType<typeof directoryCache>;
