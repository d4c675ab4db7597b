import { Money, requireCaller, staffAllows } from '@csp/kernel';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { BillingContext } from '../context';
import { partnerUnbilled } from '../rating/unbilled';
import { periodOf } from '../money/dates';
import { PartnerRef } from './partner.type';

@Resolver(() => PartnerRef)
export class PartnerBillingResolver {
  // From another subgraph than the entity's: nullable, so a slow or down service costs only these fields (SERVICE_UNAVAILABLE), not the whole object.
  @FieldResolver(() => [Money], {
    nullable: true,
    description: 'What this partner owes and has not been invoiced for yet, per currency (vendor prices; a reseller at its distributor’s price). The partner itself and the operator only; empty for others.',
  })
  async unbilledCharges(@Root() partner: PartnerRef, @Ctx() ctx: BillingContext): Promise<Money[]> {
    const caller = requireCaller(ctx);
    if (!staffAllows(caller, 'unbilledCharges')) return [];
    return partnerUnbilled(ctx.deps, caller, partner.id);
  }

  @FieldResolver(() => [Money], { description: 'This month so far (the platform clock’s month): the open charges the partner owes, per currency, as unbilledCharges. The partner itself and the operator only.' })
  async monthToDate(@Root() partner: PartnerRef, @Ctx() ctx: BillingContext): Promise<Money[]> {
    return partnerUnbilled(ctx.deps, requireCaller(ctx), partner.id, periodOf(ctx.deps.clock.now()));
  }
}
