import { badInput, connectionFrom, decodeCursor, Money, pageSize, type ConnectionShape } from '@csp/kernel';
import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { BillingContext } from '../context';
import { UsageArgs, UsageDayConnection, UsageDayRow } from '../usage-detail/usage-day.type';
import { usageDetail, type UsageDay } from '../usage-detail/usage-detail';
import { CloudSubscriptionRef } from './cloud-subscription.type';

const rowKey = (r: UsageDay) => `${r.day}|${r.meterId}|${r.unitPrice}|${r.currency}`;

@Resolver(() => CloudSubscriptionRef)
export class CloudSubscriptionBillingResolver {
  @FieldResolver(() => Money, {
    nullable: true,
    description: 'Charges accrued and not yet invoiced, at the price the caller pays; null when unknown to billing or not the caller’s.',
  })
  async unbilledCharges(@Root() sub: CloudSubscriptionRef, @Ctx() ctx: BillingContext): Promise<Money | null> {
    if (!ctx.caller) return null;
    return ctx.loaders.unbilled.load(sub.id);
  }

  @FieldResolver(() => UsageDayConnection, {
    nullable: true,
    description:
      'Usage not yet invoiced, by day and meter, at the price the caller pays: the rating the invoice will use, so the amounts of the open month sum to unbilledCharges exactly. Null when unknown to billing or not the caller’s.',
  })
  async usage(@Root() sub: CloudSubscriptionRef, @Args() args: UsageArgs, @Ctx() ctx: BillingContext): Promise<ConnectionShape<UsageDayRow> | null> {
    if (!ctx.caller) return null;
    const size = pageSize(args.first);
    const rows = await usageDetail(ctx.deps, ctx.caller, sub.id, args.from, args.to);
    if (!rows) return null;
    let start = 0;
    if (args.after) {
      const at = rows.findIndex((r) => rowKey(r) === decodeCursor(args.after!));
      if (at < 0) throw badInput('`after` names no row of this list (the usage changed since); start again without it.', 'after');
      start = at + 1;
    }
    const page = rows.slice(start, start + size);
    return connectionFrom(page, start + size < rows.length, start > 0, rows.length, rowKey, (r) =>
      Object.assign(new UsageDayRow(), { day: r.day, meterId: r.meterId, quantity: r.quantity, unitPrice: r.unitPrice, amount: Money.of(r.amount, r.currency) }),
    );
  }
}
