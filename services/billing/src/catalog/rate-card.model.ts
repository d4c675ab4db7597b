import { projectionFields, docSchema, modelOn, required } from '@csp/kernel';
import { Schema, type Connection, type Model } from 'mongoose';

export interface RateTier {
  /** Cumulative monthly quantity from which this price applies (decimal string). */
  fromQuantity: string;
  price: string;
}

/** A market's usage rate card from its effective day on (until the next card of the market). */
export interface RateCardDoc {
  _id: string; // `${market}:${effectiveFrom}`
  market: string;
  currency: string;
  /** ISO 8601 instant (or a day); it applies to usage from that UTC day on. */
  effectiveFrom: string;
  meters: Array<{ id: string; name: string; unit: string; rates: RateTier[] }>;
}

const schema = docSchema<RateCardDoc>({
  market: required(String, { index: true }),
  currency: required(String),
  effectiveFrom: required(String),
  meters: { type: Schema.Types.Mixed, default: [] },
  ...projectionFields,
});

export const rateCardModel = (conn: Connection): Model<RateCardDoc> => modelOn<RateCardDoc>(conn, 'RateCard', schema, 'rate_cards');
