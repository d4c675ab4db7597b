import { payload } from '@csp/kernel';
import { Directive, Field, InputType, ObjectType } from 'type-graphql';
import type { MarketDoc } from './market.model';

@Directive('@key(fields: "code")')
@ObjectType({ description: 'A sales market: the countries it covers and its currency.' })
export class Market {
  @Field({ description: 'Market code, e.g. DE' }) code!: string;
  @Field() name!: string;
  @Field({ description: 'ISO 4217' }) currency!: string;
  @Field(() => [String], { description: 'ISO 3166-1 alpha-2 country codes' }) countries!: string[];
}

export function toMarket(doc: Pick<MarketDoc, '_id' | 'name' | 'currency' | 'countries'>): Market {
  return Object.assign(new Market(), { code: doc._id, name: doc.name, currency: doc.currency, countries: [...doc.countries].sort() });
}

@InputType({ description: 'A market as it should be; countries already in another market are refused.' })
export class UpsertMarketInput {
  @Field({ description: 'Upper-case letters, digits, _ (e.g. NORDIC).' }) code!: string;
  @Field() name!: string;
  @Field({ description: 'ISO 4217, e.g. EUR' }) currency!: string;
  @Field(() => [String], { description: 'ISO 3166-1 alpha-2 country codes' }) countries!: string[];
}

export const UpsertMarketPayload = payload('UpsertMarketPayload', 'market', Market);
export type UpsertMarketPayload = InstanceType<typeof UpsertMarketPayload>;
