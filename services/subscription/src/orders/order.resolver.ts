import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { authorize, notFound, requireCaller, requirePartnerUser } from '@csp/kernel';
import type { SubscriptionContext } from '../context';
import { CustomerRef, offerRef, OfferRef } from '../refs/refs.type';
import { CloudSubscription, toSubscription } from '../subscriptions/subscription.type';
import type { OrderDoc } from './order.model';
import { Order, OrderLineItem, OrderStatusEnum, PlaceOrderInput, PlaceOrderPayload } from './order.type';

function toOrder(doc: OrderDoc): Order {
  return Object.assign(new Order(), {
    id: doc._id,
    createdAt: doc.createdAt,
    customerId: doc.customerId,
    partnerId: doc.partnerId,
    lineItems: doc.lineItems.map((l) =>
      Object.assign(new OrderLineItem(), { offerId: l.offerId, quantity: l.quantity, friendlyName: l.friendlyName ?? null, subscriptionId: l.subscriptionId }),
    ),
  });
}

@Resolver(() => Order)
export class OrderResolver {
  @Mutation(() => PlaceOrderPayload, {
    description:
      "The customer's partner orders offers; each line item becomes a subscription that a provisioning job brings to ACTIVE. The same idempotencyKey returns the same order.",
  })
  async placeOrder(@Arg('input') input: PlaceOrderInput, @Ctx() ctx: SubscriptionContext): Promise<PlaceOrderPayload> {
    authorize(ctx, 'placeOrder');
    const caller = requirePartnerUser(ctx);
    const doc = await ctx.deps.orders.place(caller, input);
    return Object.assign(new PlaceOrderPayload(), { order: toOrder(doc) });
  }

  @Query(() => Order, { nullable: true, description: 'An order the caller placed (or any, for the operator).' })
  async order(@Arg('id', () => ID) id: string, @Ctx() ctx: SubscriptionContext): Promise<Order> {
    authorize(ctx, 'order');
    const caller = requireCaller(ctx);
    const doc = await ctx.loaders.order.load(id);
    if (!doc || (caller.kind !== 'OPERATOR' && caller.partnerId !== doc.partnerId)) throw notFound('Order', id);
    return toOrder(doc);
  }

  @FieldResolver(() => OrderStatusEnum)
  async status(@Root() order: Order, @Ctx() ctx: SubscriptionContext): Promise<OrderStatusEnum> {
    const subs = await ctx.loaders.subscription.loadMany(order.lineItems.map((l) => l.subscriptionId));
    const statuses = subs.map((s) => (s && !(s instanceof Error) ? s.status : 'PROVISIONING'));
    if (statuses.includes('PROVISIONING')) return OrderStatusEnum.PROCESSING;
    const failed = statuses.filter((s) => s === 'FAILED').length;
    if (!failed) return OrderStatusEnum.COMPLETED;
    return failed === statuses.length ? OrderStatusEnum.FAILED : OrderStatusEnum.PARTIALLY_FAILED;
  }

  @FieldResolver(() => CustomerRef)
  customer(@Root() order: Order): CustomerRef {
    return CustomerRef.of(order.customerId);
  }
}

@Resolver(() => OrderLineItem)
export class OrderLineItemResolver {
  @FieldResolver(() => OfferRef)
  offer(@Root() line: OrderLineItem): OfferRef {
    return offerRef(line.offerId);
  }

  @FieldResolver(() => CloudSubscription, { nullable: true })
  async subscription(@Root() line: OrderLineItem, @Ctx() ctx: SubscriptionContext): Promise<CloudSubscription | null> {
    const doc = await ctx.loaders.subscription.load(line.subscriptionId);
    return doc ? toSubscription(doc) : null;
  }
}
