import { DecimalScalar } from '@csp/kernel';
import { Field, InputType, ObjectType } from 'type-graphql';

@InputType()
export class FxRateInput {
  @Field({ description: 'ISO 4217' }) currency!: string;
  @Field(() => DecimalScalar, { description: '1 base = rate currency; > 0.' }) rate!: string;
}

@ObjectType({ description: 'One rate of a month: 1 base = rate currency.' })
export class FxQuote {
  @Field() currency!: string;
  @Field(() => DecimalScalar) rate!: string;
}

@ObjectType({ description: "A month's exchange rates against one base currency." })
export class FxRateTable {
  @Field({ description: 'YYYY-MM' }) month!: string;
  @Field() base!: string;
  @Field(() => [FxQuote]) rates!: FxQuote[];
}

@ObjectType({ description: 'The conversion an invoice used: 1 from = rate to (fixed for the invoice).' })
export class FxConversion {
  @Field() from!: string;
  @Field() to!: string;
  @Field(() => DecimalScalar) rate!: string;
}
