import { Money, staffAllows } from '@csp/kernel';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { BillingContext } from '../context';
import { CloudSubscriptionRef } from './cloud-subscription.type';

@Resolver(() => CloudSubscriptionRef)
export class CloudSubscriptionBillingResolver {
  @FieldResolver(() => Money, {
    nullable: true,
    description: 'Charges accrued and not yet invoiced, at the price the caller pays; null when unknown to billing or not the caller’s.',
  })
  async unbilledCharges(@Root() sub: CloudSubscriptionRef, @Ctx() ctx: BillingContext): Promise<Money | null> {
    // billing/read (the staff-role table): no figure for staff without a billing role.
    if (!ctx.caller || !staffAllows(ctx.caller, 'unbilledCharges')) return null;
    return ctx.loaders.unbilled.load(sub.id);
  }
}
