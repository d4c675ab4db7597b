import { authorize, Money, requireCaller } from '@csp/kernel';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { BillingContext } from '../context';
import { CustomerRef } from '../customers/customer.type';
import type { BillingDeps } from '../deps';
import { periodOf } from '../money/dates';
import { MoneyInput } from '@csp/kernel';
import type { BudgetAlertDoc, SpendingBudgetDoc } from './budget.model';
import { setBudget, spentOf, visibleBudget } from './budget.service';
import { BudgetAlert, SetSpendingBudgetPayload, SpendingBudget } from './budget.type';

async function toBudget(deps: BillingDeps, b: SpendingBudgetDoc): Promise<SpendingBudget> {
  const month = periodOf(deps.clock.now());
  const [spent, alerts] = await Promise.all([spentOf(deps, b, month), deps.models.budgetAlerts.find({ budgetId: b._id, month }).sort({ thresholdPercent: 1 }).lean<BudgetAlertDoc[]>()]);
  return Object.assign(new SpendingBudget(), {
    amount: Money.of(b.amount, b.currency),
    thresholdsPercent: b.thresholdsPercent,
    month,
    spent: Money.of(spent, b.currency),
    alerts: alerts.map((a) => Object.assign(new BudgetAlert(), { thresholdPercent: a.thresholdPercent, month: a.month, crossedAt: a.crossedAt, spent: Money.of(a.spent, b.currency) })),
  });
}

@Resolver(() => CustomerRef)
export class SpendingBudgetResolver {
  @Mutation(() => SetSpendingBudgetPayload, { description: "The customer's partner: sets the customer's monthly budget (thresholds default to 50, 90, 100 %); replaces an earlier one." })
  async setSpendingBudget(
    @Arg('customerId', () => ID) customerId: string,
    @Arg('amount', () => MoneyInput) amount: MoneyInput,
    @Arg('thresholdsPercent', () => [Int], { nullable: true }) thresholdsPercent: number[] | null,
    @Ctx() ctx: BillingContext,
  ): Promise<SetSpendingBudgetPayload> {
    authorize(ctx, 'setSpendingBudget');
    const b = await setBudget(ctx.deps, requireCaller(ctx), customerId, amount, thresholdsPercent);
    return Object.assign(new SetSpendingBudgetPayload(), { budget: await toBudget(ctx.deps, b) });
  }

  @FieldResolver(() => SpendingBudget, { nullable: true, description: "The customer's spending budget: for its partner, the operator and the customer's admins; null when none is set." })
  async spendingBudget(@Root() customer: CustomerRef, @Ctx() ctx: BillingContext): Promise<SpendingBudget | null> {
    const b = await visibleBudget(ctx.deps, requireCaller(ctx), customer.id);
    return b ? toBudget(ctx.deps, b) : null;
  }
}
