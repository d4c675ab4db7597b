import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { forbidden, PageArgs, paginate, requireCaller, type ConnectionShape } from '@csp/kernel';
import type { QueryFilter } from 'mongoose';
import type { SubscriptionContext } from '../context';
import { relationshipId } from '../readmodel/readmodel.models';
import { CustomerRef, PartnerRef } from '../refs/refs.type';
import type { SubscriptionDoc } from './subscription.model';
import { CloudSubscription, CloudSubscriptionConnection, toSubscription } from './subscription.type';

/** Above this, a customer user's list is not filtered one decision at a time. */
const MAX_CUSTOMER_SCAN = 1000;

@Resolver(() => CustomerRef)
export class CustomerSubscriptionsResolver {
  @FieldResolver(() => CloudSubscriptionConnection, {
    description: "The customer's subscriptions the caller may see: a partner its own sales, a customer user those it holds a role on.",
  })
  async subscriptions(@Root() customer: CustomerRef, @Args() page: PageArgs, @Ctx() ctx: SubscriptionContext): Promise<ConnectionShape<CloudSubscription>> {
    const caller = requireCaller(ctx);
    const { subscriptions } = ctx.deps.models;
    let filter: QueryFilter<SubscriptionDoc>;
    if (caller.kind === 'OPERATOR') {
      filter = { customerId: customer.id };
    } else if (caller.kind === 'PARTNER_USER' && caller.partnerId) {
      filter = { customerId: customer.id, $or: [{ partnerId: caller.partnerId }, { resellerId: caller.partnerId }] };
      // A partner with an active relationship but no sales yet sees an empty list, others are refused.
      const related = await ctx.deps.rm.relationships.exists({ _id: relationshipId(caller.partnerId, customer.id), status: 'ACTIVE' });
      if (!related && !(await subscriptions.exists(filter))) throw forbidden(`Customer ${customer.id} is not one of your customers.`);
    } else if (caller.kind === 'CUSTOMER_USER' && caller.customerId === customer.id) {
      const all = await subscriptions.find({ customerId: customer.id }, { outbox: 0 }).sort({ _id: 1 }).limit(MAX_CUSTOMER_SCAN).lean<SubscriptionDoc[]>();
      const readable = await ctx.deps.access.readable(ctx, all);
      filter = { _id: { $in: readable.map((d) => d._id) } };
    } else {
      throw forbidden(`Customer ${customer.id} is not yours to read.`);
    }
    return paginate(subscriptions, filter, page, toSubscription);
  }
}

@Resolver(() => PartnerRef)
export class PartnerSubscriptionsResolver {
  @FieldResolver(() => CloudSubscriptionConnection, { description: 'Subscriptions this partner bills (partner of record) or sold (reseller).' })
  async subscriptions(@Root() partner: PartnerRef, @Args() page: PageArgs, @Ctx() ctx: SubscriptionContext): Promise<ConnectionShape<CloudSubscription>> {
    const caller = requireCaller(ctx);
    if (caller.kind !== 'OPERATOR' && !(caller.kind === 'PARTNER_USER' && caller.partnerId === partner.id)) {
      throw forbidden("Only the partner itself or the operator may list a partner's subscriptions.");
    }
    return paginate(ctx.deps.models.subscriptions, { $or: [{ partnerId: partner.id }, { resellerId: partner.id }] }, page, toSubscription);
  }
}
