import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { forbidden, PageArgs, paginate, requireCaller, type ConnectionShape } from '@csp/kernel';
import type { QueryFilter } from 'mongoose';
import type { SubscriptionContext } from '../context';
import { CustomerRef, PartnerRef } from '../refs/refs.type';
import type { SubscriptionDoc } from './subscription.model';
import { CloudSubscription, CloudSubscriptionConnection, toSubscription } from './subscription.type';

/** Above this, a customer user's list is not filtered one decision at a time. */
const MAX_CUSTOMER_SCAN = 1000;

@Resolver(() => CustomerRef)
export class CustomerSubscriptionsResolver {
  // From another subgraph than the entity's: nullable, so a slow or down service costs only these fields (SERVICE_UNAVAILABLE), not the whole object.
  @FieldResolver(() => CloudSubscriptionConnection, {
    nullable: true,
    description: "The customer's subscriptions the caller may see: a partner its own sales, a customer user those it holds a role on.",
  })
  async subscriptions(@Root() customer: CustomerRef, @Args() page: PageArgs, @Ctx() ctx: SubscriptionContext): Promise<ConnectionShape<CloudSubscription>> {
    const caller = requireCaller(ctx);
    const { subscriptions } = ctx.deps.models;
    let filter: QueryFilter<SubscriptionDoc>;
    if (caller.kind === 'OPERATOR') {
      return ctx.loaders.customerSubscriptions.load({ customerId: customer.id, first: page.first, after: page.after });
    } else if (caller.kind === 'PARTNER_USER' && caller.partnerId) {
      // Only what this partner sells or bills: nothing of another partner's business shows, so a
      // customer shared with other partners (multi-partner) needs no further check.
      return ctx.loaders.customerSubscriptions.load({ customerId: customer.id, partnerId: caller.partnerId, first: page.first, after: page.after });
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
  @FieldResolver(() => CloudSubscriptionConnection, {
    nullable: true,
    description:
      'Subscriptions this partner bills (partner of record) or sold (reseller). Another partner sees only the ones they share (a distributor and its reseller).',
  })
  async subscriptions(@Root() partner: PartnerRef, @Args() page: PageArgs, @Ctx() ctx: SubscriptionContext): Promise<ConnectionShape<CloudSubscription>> {
    const caller = requireCaller(ctx);
    let filter: QueryFilter<SubscriptionDoc>;
    if (caller.kind === 'OPERATOR' || (caller.kind === 'PARTNER_USER' && caller.partnerId === partner.id)) {
      filter = { $or: [{ partnerId: partner.id }, { resellerId: partner.id }] };
    } else if (caller.kind === 'PARTNER_USER' && caller.partnerId) {
      filter = {
        $or: [
          { partnerId: caller.partnerId, resellerId: partner.id },
          { partnerId: partner.id, resellerId: caller.partnerId },
        ],
      };
    } else {
      throw forbidden("Only partners and the operator may list a partner's subscriptions.");
    }
    return paginate(ctx.deps.models.subscriptions, filter, page, toSubscription);
  }
}
