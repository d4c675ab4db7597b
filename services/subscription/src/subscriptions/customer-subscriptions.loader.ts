import DataLoader from 'dataloader';
import { connectionFrom, decodeCursor, pageSize, type ConnectionShape } from '@csp/kernel';
import type { Model, QueryFilter } from 'mongoose';
import type { SubscriptionDoc } from './subscription.model';
import { toSubscription, type CloudSubscription } from './subscription.type';

export interface CustomerPageKey {
  customerId: string;
  /** Partner callers see only what they sell or bill; undefined: everything of the customer. */
  partnerId?: string;
  first?: number | null;
  after?: string | null;
}

/** Above this many subscriptions in one batch, fall back to one page query per customer. */
const BATCH_LIMIT = 5_000;

/**
 * `Customer.subscriptions` for a whole page of customers in one store query: the
 * subscriptions of every customer in the batch are read together and paged per customer.
 */
export function customerSubscriptionsLoader(subscriptions: Model<SubscriptionDoc>) {
  return new DataLoader<CustomerPageKey, ConnectionShape<CloudSubscription>, string>(
    async (keys) => {
      const groups = new Map<string, CustomerPageKey[]>();
      for (const k of keys) {
        const g = `${k.partnerId ?? '*'}`;
        groups.set(g, [...(groups.get(g) ?? []), k]);
      }
      const byCustomer = new Map<string, SubscriptionDoc[]>();
      for (const [, ks] of groups) {
        const partnerId = ks[0].partnerId;
        const filter: QueryFilter<SubscriptionDoc> = {
          customerId: { $in: [...new Set(ks.map((k) => k.customerId))] },
          ...(partnerId ? { $or: [{ partnerId }, { resellerId: partnerId }] } : {}),
        };
        const docs = await subscriptions.find(filter, { outbox: 0 }).sort({ _id: 1 }).limit(BATCH_LIMIT + 1).lean<SubscriptionDoc[]>();
        if (docs.length > BATCH_LIMIT) throw new Error('batch too large'); // caught below: per-customer fallback
        for (const d of docs) byCustomer.set(`${partnerId ?? '*'}|${d.customerId}`, [...(byCustomer.get(`${partnerId ?? '*'}|${d.customerId}`) ?? []), d]);
      }
      return keys.map((k) => {
        const all = byCustomer.get(`${k.partnerId ?? '*'}|${k.customerId}`) ?? [];
        const size = pageSize(k.first);
        const afterId = k.after ? decodeCursor(k.after) : undefined;
        const rest = afterId ? all.filter((d) => d._id > afterId) : all;
        return connectionFrom(rest.slice(0, size), rest.length > size, !!afterId, all.length, (d) => d._id, toSubscription);
      });
    },
    { cacheKeyFn: (k) => JSON.stringify([k.customerId, k.partnerId ?? null, k.first ?? null, k.after ?? null]) },
  );
}
