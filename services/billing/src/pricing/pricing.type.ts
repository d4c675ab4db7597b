import { DecimalScalar } from '@csp/kernel';
import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: "A selling partner's markup on its own cost for one customer." })
export class CustomerPricing {
  @Field(() => ID) customerId!: string;
  @Field(() => DecimalScalar, { description: 'Percent; may be negative (a discount).' }) markupPercent!: string;
  @Field({ description: 'YYYY-MM-DD: the first day this markup prices.' }) effectiveFrom!: string;
}

@ObjectType({ description: "A distributor's markup on vendor prices for one linked reseller." })
export class ResellerPricing {
  @Field(() => ID) resellerId!: string;
  @Field(() => DecimalScalar, { description: 'Percent; may be negative (a discount).' }) markupPercent!: string;
  @Field({ description: 'YYYY-MM-DD: the first day this markup prices.' }) effectiveFrom!: string;
}
