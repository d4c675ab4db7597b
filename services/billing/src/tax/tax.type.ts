import { DecimalScalar, Money } from '@csp/kernel';
import { Field, InputType, ObjectType } from 'type-graphql';

@InputType()
export class TaxRateInput {
  @Field({ description: 'ISO 3166-1 alpha-2' }) country!: string;
  @Field(() => DecimalScalar, { description: '0 to 100' }) ratePercent!: string;
  @Field({ description: 'YYYY-MM-DD: in force from this day (until a later one).' }) validFrom!: string;
}

@ObjectType({ description: "A country's VAT rate from a day on." })
export class TaxRate {
  @Field() country!: string;
  @Field(() => DecimalScalar) ratePercent!: string;
  @Field() validFrom!: string;
}

@ObjectType({ description: 'One tax line: rate × base, rounded once half-even.' })
export class TaxLine {
  @Field() description!: string;
  @Field(() => DecimalScalar) ratePercent!: string;
  @Field(() => Money) base!: Money;
  @Field(() => Money) amount!: Money;
}
