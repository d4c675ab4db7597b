import type { RateCardMeterSnapshot } from '@csp/events';
import { DecimalScalar, payload } from '@csp/kernel';
import { Directive, Field, ID, InputType, ObjectType } from 'type-graphql';
import type { MeterDoc, RateCardDoc } from './rate-card.model';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'Something the cloud measures and bills by usage, e.g. compute hours or GB egress.' })
export class Meter {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field({ description: 'compute, storage, networking, databases, …' }) category!: string;
  @Field({ description: 'Unit of the quantity, e.g. "1 Hour", "1 GB/Month".' }) unit!: string;
}

export const toMeter = (doc: MeterDoc): Meter => Object.assign(new Meter(), { id: doc._id, name: doc.name, category: doc.category, unit: doc.unit });

@ObjectType({ description: 'Units from fromQuantity up to the next tier cost price each.' })
export class RateTier {
  @Field(() => DecimalScalar) fromQuantity!: string;
  @Field(() => DecimalScalar, { description: "Per unit, in the card's currency." }) price!: string;
}

@ObjectType({ description: "A meter on a market's rate card, with its tiered rates." })
export class RateCardMeter {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field() category!: string;
  @Field() unit!: string;
  @Field(() => [RateTier]) rates!: RateTier[];
}

@ObjectType({ description: "A market's usage prices from effectiveFrom until its next card takes effect." })
export class RateCard {
  @Field({ description: 'Market code' }) market!: string;
  @Field({ description: 'ISO 4217' }) currency!: string;
  @Field() effectiveFrom!: Date;
  @Field(() => [RateCardMeter]) meters!: RateCardMeter[];
}

export function toRateCard(doc: Pick<RateCardDoc, 'market' | 'currency' | 'effectiveFrom' | 'meters'>): RateCard {
  return Object.assign(new RateCard(), {
    market: doc.market,
    currency: doc.currency,
    effectiveFrom: new Date(doc.effectiveFrom),
    meters: doc.meters.map((m: RateCardMeterSnapshot) =>
      Object.assign(new RateCardMeter(), {
        id: m.id,
        name: m.name,
        category: m.category,
        unit: m.unit,
        rates: m.rates.map((r) => Object.assign(new RateTier(), { fromQuantity: r.fromQuantity, price: r.price })),
      }),
    ),
  });
}

@InputType()
export class RateTierInput {
  @Field(() => DecimalScalar, { description: 'The first tier starts at "0"; each next one strictly higher.' }) fromQuantity!: string;
  @Field(() => DecimalScalar, { description: 'Per unit, not negative.' }) price!: string;
}

@InputType()
export class RateCardMeterInput {
  @Field(() => ID, { description: 'Lower-case letters, digits, _ . - (e.g. mtr_vm_d2s_v5).' }) id!: string;
  @Field() name!: string;
  @Field() category!: string;
  @Field() unit!: string;
  @Field(() => [RateTierInput]) rates!: RateTierInput[];
}

@InputType({ description: "A market's new rate card; earlier cards stay in force for the dates before effectiveFrom." })
export class PublishRateCardInput {
  @Field() market!: string;
  @Field() effectiveFrom!: Date;
  @Field(() => [RateCardMeterInput]) meters!: RateCardMeterInput[];
}

export const PublishRateCardPayload = payload('PublishRateCardPayload', 'rateCard', RateCard);
export type PublishRateCardPayload = InstanceType<typeof PublishRateCardPayload>;
