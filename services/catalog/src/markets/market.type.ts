import { Directive, Field, ObjectType } from 'type-graphql';

@Directive('@key(fields: "code")')
@ObjectType({ description: 'A sales market: the countries it covers and its currency.' })
export class Market {
  @Field({ description: 'Market code, e.g. DE' }) code!: string;
  @Field() name!: string;
  @Field({ description: 'ISO 4217' }) currency!: string;
  @Field(() => [String], { description: 'ISO 3166-1 alpha-2 country codes' }) countries!: string[];
}
