import { Directive, Field, ObjectType } from 'type-graphql';

/** Catalog owns markets (name, currency, countries); identity only names one by its code. */
@Directive('@key(fields: "code", resolvable: false)')
@ObjectType('Market')
export class MarketRef {
  @Field() code!: string;
}

export const marketRef = (code: string) => Object.assign(new MarketRef(), { code });
