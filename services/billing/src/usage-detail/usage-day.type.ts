import { Connection, DecimalScalar, Money } from '@csp/kernel';
import { ArgsType, Field, ObjectType } from 'type-graphql';
import { PageArgs } from '@csp/kernel';

@ObjectType({ description: 'Rated usage of one meter on one day at one unit price, at the price the caller pays.' })
export class UsageDayRow {
  @Field({ description: 'YYYY-MM-DD (UTC)' }) day!: string;
  @Field() meterId!: string;
  @Field(() => DecimalScalar) quantity!: string;
  @Field(() => DecimalScalar, { description: 'Per unit, exact (the tier in force after the month’s earlier usage).' }) unitPrice!: string;
  @Field(() => Money, { description: 'Rounded so the days of a charge line sum to the line exactly.' }) amount!: Money;
}

export const UsageDayConnection = Connection(UsageDayRow, 'UsageDay');

@ArgsType()
export class UsageArgs extends PageArgs {
  @Field({ description: 'First day, YYYY-MM-DD' }) from!: string;
  @Field({ description: 'Last day, YYYY-MM-DD (inclusive)' }) to!: string;
}

@ObjectType({ description: 'Unbilled usage of one meter in a month, at the price the caller pays (sums its days exactly).' })
export class MeterCharge {
  @Field() meterId!: string;
  @Field(() => DecimalScalar) quantity!: string;
  @Field(() => Money) amount!: Money;
}
