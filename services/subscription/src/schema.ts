import { buildSubgraph } from '@csp/kernel';
import DataLoader from 'dataloader';
import { customerSubscriptionsLoader } from './subscriptions/customer-subscriptions.loader';
import type { GraphQLSchema } from 'graphql';
import { CloudServiceResolver } from './cloud-services/service.resolver';
import type { SubscriptionContext } from './context';
import type { SubscriptionDeps } from './deps';
import type { OrderDoc } from './orders/order.model';
import { OrderLineItemResolver, OrderResolver } from './orders/order.resolver';
import { provisioningView, type ProvisioningView } from './provisioning/provisioning.queue';
import { OfferRefResolver, OrderableOffersResolver } from './partner-offers/orderable-offers.resolver';
import { PartnerOfferRef } from './partner-offers/partner-offer.type';
import { CustomerRef, OfferRef, PartnerRef } from './refs/refs.type';
import { CustomerSubscriptionsResolver, PartnerSubscriptionsResolver } from './subscriptions/subscription-lists.resolver';
import type { SubscriptionDoc } from './subscriptions/subscription.model';
import { SubscriptionResolver } from './subscriptions/subscription.resolver';
import { CloudSubscription, toSubscription } from './subscriptions/subscription.type';

/** The subscription subgraph schema; pure (no stores), so composition can print it offline. */
export function buildSubscriptionSchema(): Promise<GraphQLSchema> {
  return buildSubgraph(
    {
      resolvers: [
        SubscriptionResolver,
        CloudServiceResolver,
        OrderResolver,
        OrderLineItemResolver,
        CustomerSubscriptionsResolver,
        PartnerSubscriptionsResolver,
        OrderableOffersResolver,
        OfferRefResolver,
      ],
      orphanedTypes: [CustomerRef, PartnerRef, OfferRef, PartnerOfferRef],
    },
    {
      // Other subgraphs extend CloudSubscription: resolve it only for callers who may read it.
      CloudSubscription: {
        __resolveReference: async (ref: { id: string }, ctx: SubscriptionContext) => {
          const doc = await ctx.loaders.subscription.load(ref.id);
          return doc && (await ctx.deps.access.canRead(ctx, doc)) ? toSubscription(doc) : null;
        },
      },
      Customer: { __resolveReference: (ref: { id: string }) => CustomerRef.of(ref.id) },
      Partner: { __resolveReference: (ref: { id: string }) => PartnerRef.of(ref.id) },
    },
  );
}

/** Per-request batch loaders: one store query per entity type per request. */
export function subscriptionLoaders(deps: SubscriptionDeps) {
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
    offerName: new DataLoader<string, string | null>(async (ids) => {
      const [vendor, partner] = await Promise.all([
        deps.rm.offers.find({ _id: { $in: [...ids] } }, { name: 1 }).lean<Array<{ _id: string; name?: string }>>(),
        deps.rm.partnerOffers.find({ _id: { $in: [...ids] } }, { name: 1 }).lean<Array<{ _id: string; name?: string }>>(),
      ]);
      const byId = new Map([...vendor, ...partner].map((d) => [d._id, d.name ?? null]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    /** Live job state from Redis (not the store). */
    provisioning: new DataLoader<string, ProvisioningView | null>((ids) => Promise.all(ids.map((id) => provisioningView(deps.queue, id)))),
  };
}

export { CloudSubscription };
