import { sellsTo } from '../directory/sells-to';
import { authorize, badInput, boundedDecimal, BOUNDS, DecimalScalar, notFound, requirePartnerUser } from '@csp/kernel';
import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { BillingContext } from '../context';
import { dayOf, isDay } from '../money/dates';
import { Dec, formatExact } from '../money/decimal';
import { customerMarkupId, resellerMarkupId } from './pricing.model';
import { CustomerPricing, ResellerPricing } from './pricing.type';

/** A markup below -100 % would make prices negative; the bounds are the kernel's. */
const checkMarkup = (markupPercent: string): string => formatExact(new Dec(boundedDecimal(markupPercent, 'markupPercent', BOUNDS.markupPercent)));

/** Prices take effect from today or a later day, never backwards (days already accrued keep their price). */
function checkEffectiveFrom(ctx: BillingContext, effectiveFrom: string | null | undefined): string {
  const today = dayOf(ctx.deps.clock.now());
  if (effectiveFrom == null) return today;
  if (!isDay(effectiveFrom)) throw badInput('effectiveFrom must be a day "YYYY-MM-DD"', 'effectiveFrom');
  if (effectiveFrom < today) throw badInput(`effectiveFrom ${effectiveFrom} is in the past (today is ${today}): prices never change backwards`, 'effectiveFrom');
  return effectiveFrom;
}

async function schedule(ctx: BillingContext, markupId: string, setBy: string, pct: string, effectiveFrom: string) {
  await ctx.deps.models.markupSchedule.updateOne(
    { _id: `${markupId}|${effectiveFrom}` },
    { $set: { markupId, markupPercent: pct, effectiveFrom, setBy, setAt: ctx.deps.clock.now() } },
    { upsert: true },
  );
}

@Resolver()
export class PricingResolver {
  @Mutation(() => CustomerPricing, { description: "The customer's selling partner sets its markup from a day on (today unless effectiveFrom; never backwards)." })
  async setCustomerPricing(
    @Arg('customerId', () => ID) customerId: string,
    @Arg('markupPercent', () => DecimalScalar) markupPercent: string,
    @Arg('effectiveFrom', () => String, { nullable: true, description: 'YYYY-MM-DD, today or later; default today.' }) effectiveFrom: string | null,
    @Ctx() ctx: BillingContext,
  ): Promise<CustomerPricing> {
    authorize(ctx, 'setCustomerPricing');
    const caller = requirePartnerUser(ctx);
    // The selling partner: the one that created the customer, or one it established a relationship with.
    if (!(await sellsTo(ctx.deps.models, caller.partnerId, customerId)).sells) throw notFound('Customer', customerId);
    const pct = checkMarkup(markupPercent);
    const from = checkEffectiveFrom(ctx, effectiveFrom);
    await schedule(ctx, customerMarkupId(caller.partnerId, customerId), caller.partnerId, pct, from);
    await ctx.deps.caches.markupMap.bump(); // every replica's next price uses it
    return Object.assign(new CustomerPricing(), { customerId, markupPercent: pct, effectiveFrom: from });
  }

  @Mutation(() => ResellerPricing, { description: 'A distributor sets its markup for one linked reseller from a day on (today unless effectiveFrom; never backwards).' })
  async setResellerPricing(
    @Arg('resellerId', () => ID) resellerId: string,
    @Arg('markupPercent', () => DecimalScalar) markupPercent: string,
    @Arg('effectiveFrom', () => String, { nullable: true, description: 'YYYY-MM-DD, today or later; default today.' }) effectiveFrom: string | null,
    @Ctx() ctx: BillingContext,
  ): Promise<ResellerPricing> {
    authorize(ctx, 'setResellerPricing');
    const caller = requirePartnerUser(ctx);
    const linked = await ctx.deps.models.resellerLinks.exists({ _id: `${caller.partnerId}|${resellerId}` });
    if (!linked) throw notFound('Reseller', resellerId);
    const pct = checkMarkup(markupPercent);
    const from = checkEffectiveFrom(ctx, effectiveFrom);
    await schedule(ctx, resellerMarkupId(caller.partnerId, resellerId), caller.partnerId, pct, from);
    await ctx.deps.caches.markupMap.bump(); // every replica's next price uses it
    return Object.assign(new ResellerPricing(), { resellerId, markupPercent: pct, effectiveFrom: from });
  }
}
