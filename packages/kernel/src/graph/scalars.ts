import { GraphQLScalarType, Kind } from 'graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { Directive, Field, InputType, ObjectType } from 'type-graphql';
import { DECIMAL_RE } from '../rules/decimals';

/** Money never passes through a JS float: amounts are decimal strings end to end. */

function parseDecimal(value: unknown): string {
  if (typeof value !== 'string' || !DECIMAL_RE.test(value)) {
    throw new TypeError(
      `Decimal must be a string holding a plain decimal such as "12.50" (at most 28 integer and 18 fraction digits, no exponent); got ${JSON.stringify(value)?.slice(0, 40)}`,
    );
  }
  return value === '-0' ? '0' : value;
}

export const DecimalScalar = new GraphQLScalarType({
  name: 'Decimal',
  description: 'An exact decimal number as a string, e.g. "12.50". Never a float.',
  serialize: (v) => String(v),
  parseValue: parseDecimal,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new TypeError('Decimal must be a string literal such as "12.50"');
    return parseDecimal(ast.value);
  },
});

export const DateTimeScalar = GraphQLDateTime;

@Directive('@shareable')
@ObjectType({ description: 'An exact amount in an ISO 4217 currency.' })
export class Money {
  @Field(() => DecimalScalar)
  amount!: string;

  @Field({ description: 'ISO 4217 code, e.g. EUR' })
  currency!: string;

  static of(amount: string, currency: string): Money {
    return Object.assign(new Money(), { amount, currency });
  }
}

export const scalarsMap = [{ type: Date, scalar: DateTimeScalar }];

/** An amount a client sends: exact decimal string and ISO 4217 code (the same shape as Money). */
@InputType('MoneyInput', { description: 'An exact amount in an ISO 4217 currency, as sent by a client.' })
export class MoneyInput {
  @Field(() => DecimalScalar)
  amount!: string;

  @Field({ description: 'ISO 4217 code, e.g. EUR' })
  currency!: string;
}
