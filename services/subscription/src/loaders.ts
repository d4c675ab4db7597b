import type { Caller } from '@csp/kernel';
import DataLoader from 'dataloader';
import type { SubscriptionDeps } from './deps';
import type { OrderDoc } from './orders/order.model';
import { provisioningView, type ProvisioningView } from './provisioning/provisioning.queue';
import { customerSubscriptionsLoader } from './subscriptions/customer-subscriptions.loader';
import type { SubscriptionDoc } from './subscriptions/subscription.model';

/** Per-request batch loaders: one store query per entity type per request. */
export function subscriptionLoaders(deps: SubscriptionDeps, _caller: Caller | null) {
  return {
    subscription: new DataLoader<string, SubscriptionDoc | null>(async (ids) => {
      const docs = await deps.models.subscriptions.find({ _id: { $in: [...ids] } }, { outbox: 0 }).lean<SubscriptionDoc[]>();
      const byId = new Map(docs.map((d) => [d._id, d]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    order: new DataLoader<string, OrderDoc | null>(async (ids) => {
      const docs = await deps.models.orders.find({ _id: { $in: [...ids] } }).lean<OrderDoc[]>();
      const byId = new Map(docs.map((d) => [d._id, d]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    customerSubscriptions: customerSubscriptionsLoader(deps.models.subscriptions),
    /** Names of vendor and partner offers, from this service's copy of the catalog. */
    offerName: new DataLoader<string, string | null>((ids) => deps.offerNames.of(ids)),
    /** Live job state from Redis (not the store). */
    provisioning: new DataLoader<string, ProvisioningView | null>((ids) => Promise.all(ids.map((id) => provisioningView(deps.queue, id)))),
  };
}

export type SubscriptionLoaders = ReturnType<typeof subscriptionLoaders>;
