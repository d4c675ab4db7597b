import { badInput, connectionFrom, decodeCursor, Money, pageSize, staffAllows, type ConnectionShape } from '@csp/kernel';
import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { BillingContext } from '../context';
import { MeterCharge, UsageArgs, UsageDayConnection, UsageDayRow } from '../usage-detail/usage-day.type';
import { PERIOD_RE } from '@csp/kernel';
import { dayOf, periodEnd, periodOf } from '../money/dates';
import { byMeter, usageDetail, type UsageDay } from '../usage-detail/usage-detail';
import { CloudSubscriptionRef } from './cloud-subscription.type';

const rowKey = (r: UsageDay) => `${r.day}|${r.meterId}|${r.unitPrice}|${r.currency}`;

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

  @FieldResolver(() => [MeterCharge], {
    nullable: true,
    description: 'Unbilled usage per meter of a month (default: the open month), at the price the caller pays; null when unknown to billing or not the caller’s.',
  })
  async unbilledByMeter(@Root() sub: CloudSubscriptionRef, @Arg('month', () => String, { nullable: true, description: 'YYYY-MM' }) month: string | null, @Ctx() ctx: BillingContext): Promise<MeterCharge[] | null> {
    if (!ctx.caller) return null;
    const p = month ?? periodOf(ctx.deps.clock.now());
    if (!PERIOD_RE.test(p)) throw badInput(`month ${JSON.stringify(p)} is not YYYY-MM.`, 'month');
    const rows = await usageDetail(ctx.deps, ctx.caller, sub.id, `${p}-01`, dayOf(new Date(periodEnd(p).getTime() - 1)));
    return rows && byMeter(rows).map((m) => Object.assign(new MeterCharge(), { meterId: m.meterId, quantity: m.quantity, amount: Money.of(m.amount, m.currency) }));
  }
}
