import { Money, payload } from '@csp/kernel';
import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A threshold of a spending budget crossed in a month (raised once).' })
export class BudgetAlert {
  @Field(() => Int) thresholdPercent!: number;
  @Field() month!: string;
  @Field() crossedAt!: Date;
  @Field(() => Money, { description: 'Month-to-date spend when the threshold was found crossed.' }) spent!: Money;
}

@ObjectType({ description: "A customer's monthly spending budget, set by its partner; spend is month-to-date at the partner's price." })
export class SpendingBudget {
  @Field(() => Money) amount!: Money;
  @Field(() => [Int]) thresholdsPercent!: number[];
  @Field({ description: 'The month spent and alerts are of (the platform clock’s), YYYY-MM.' }) month!: string;
  @Field(() => Money, { description: 'Spend this month so far (open charges), at the price the customer’s partner pays.' }) spent!: Money;
  @Field(() => [BudgetAlert], { description: 'Thresholds crossed this month, lowest first.' }) alerts!: BudgetAlert[];
}

export const SetSpendingBudgetPayload = payload('SetSpendingBudgetPayload', 'budget', SpendingBudget);
export type SetSpendingBudgetPayload = InstanceType<typeof SetSpendingBudgetPayload>;
