import { authorize, badInput, DecimalScalar, notFound, requirePartnerUser } from '@csp/kernel';
import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { BillingContext } from '../context';
import type { BillCustomerDoc } from '../directory/directory.model';
import { Dec, formatExact } from '../money/decimal';
import { customerMarkupId, resellerMarkupId } from './pricing.model';
import { CustomerPricing, ResellerPricing } from './pricing.type';

/** A markup below -100 % would make prices negative. */
function checkMarkup(markupPercent: string): string {
  const d = new Dec(markupPercent);
  if (d.lt(-100) || d.gt(10_000)) throw badInput('markupPercent must be between -100 and 10000', 'markupPercent');
  return formatExact(d);
}

@Resolver()
export class PricingResolver {
  @Mutation(() => CustomerPricing, { description: "The customer's selling partner sets its markup (applies to invoices built from now on)." })
  async setCustomerPricing(
    @Arg('customerId', () => ID) customerId: string,
    @Arg('markupPercent', () => DecimalScalar) markupPercent: string,
    @Ctx() ctx: BillingContext,
  ): Promise<CustomerPricing> {
    authorize(ctx, 'setCustomerPricing');
    const caller = requirePartnerUser(ctx);
    // The selling partner: the one that created the customer, or one it established a relationship with.
    const [customer, related] = await Promise.all([
      ctx.deps.models.customers.findById(customerId).lean<BillCustomerDoc>(),
      ctx.deps.models.relationships.exists({ _id: `${customerId}|${caller.partnerId}`, active: true }),
    ]);
    if (!customer || (customer.partnerId !== caller.partnerId && !related)) throw notFound('Customer', customerId);
    const pct = checkMarkup(markupPercent);
    await ctx.deps.models.markups.updateOne(
      { _id: customerMarkupId(caller.partnerId, customerId) },
      { $set: { setBy: caller.partnerId, markupPercent: pct, updatedAt: ctx.deps.clock.now() } },
      { upsert: true },
    );
    return Object.assign(new CustomerPricing(), { customerId, markupPercent: pct });
  }

  @Mutation(() => ResellerPricing, { description: 'A distributor sets its markup for one linked reseller.' })
  async setResellerPricing(
    @Arg('resellerId', () => ID) resellerId: string,
    @Arg('markupPercent', () => DecimalScalar) markupPercent: string,
    @Ctx() ctx: BillingContext,
  ): Promise<ResellerPricing> {
    authorize(ctx, 'setResellerPricing');
    const caller = requirePartnerUser(ctx);
    const linked = await ctx.deps.models.resellerLinks.exists({ _id: `${caller.partnerId}|${resellerId}` });
    if (!linked) throw notFound('Reseller', resellerId);
    const pct = checkMarkup(markupPercent);
    await ctx.deps.models.markups.updateOne(
      { _id: resellerMarkupId(caller.partnerId, resellerId) },
      { $set: { setBy: caller.partnerId, markupPercent: pct, updatedAt: ctx.deps.clock.now() } },
      { upsert: true },
    );
    return Object.assign(new ResellerPricing(), { resellerId, markupPercent: pct });
  }
}
