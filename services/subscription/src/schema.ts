import { buildSubgraph } from '@csp/kernel';
import type { GraphQLSchema } from 'graphql';
import { CloudServiceResolver } from './cloud-services/service.resolver';
import type { SubscriptionContext } from './context';
import { OrderLineItemResolver, OrderResolver } from './orders/order.resolver';
import { OfferRefResolver, OrderableOffersResolver } from './partner-offers/orderable-offers.resolver';
import { PartnerOfferRef } from './partner-offers/partner-offer.type';
import { CustomerRef, OfferRef, PartnerRef } from './refs/refs.type';
import { CustomerSubscriptionsResolver, PartnerSubscriptionsResolver } from './subscriptions/subscription-lists.resolver';
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

export { CloudSubscription };
