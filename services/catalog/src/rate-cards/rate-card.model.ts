import type { RateCardMeterSnapshot } from '@csp/events';
import { outboxField, type Envelope, docSchema, modelOn, required } from '@csp/kernel';
import { Schema, type Connection, type Model } from 'mongoose';

export interface RateCardDoc {
  /** `rc_<market>_<effectiveFrom ISO>`: one card per market and start, never overwritten. */
  _id: string;
  market: string;
  currency: string;
  effectiveFrom: Date;
  /** Meter definitions as of this card, with tiers; decimals as strings. */
  meters: RateCardMeterSnapshot[];
  publishedAt: Date;
  outbox: Envelope[];
}

/** The meter catalog: what a meter id means, across markets (rates live on the cards). */
export interface MeterDoc {
  _id: string;
  name: string;
  category: string;
  unit: string;
}

const tierSchema = new Schema({ fromQuantity: required(String), price: required(String) }, { _id: false });
const cardMeterSchema = new Schema(
  { id: required(String), name: String, category: String, unit: String, rates: { type: [tierSchema], default: [] } },
  { _id: false },
);

const cardSchema = docSchema<RateCardDoc>({
  market: required(String),
  currency: required(String),
  effectiveFrom: required(Date),
  meters: { type: [cardMeterSchema], default: [] },
  publishedAt: required(Date),
  outbox: outboxField(),
});
// History: a later card adds a row; the pair (market, effectiveFrom) names one card only.
cardSchema.index({ market: 1, effectiveFrom: -1 }, { unique: true });

const meterSchema = docSchema<MeterDoc>({ name: required(String), category: required(String, { index: true }), unit: required(String) });

export const rateCardModel = (conn: Connection): Model<RateCardDoc> => modelOn<RateCardDoc>(conn, 'RateCard', cardSchema, 'rate_cards');

export const meterModel = (conn: Connection): Model<MeterDoc> => modelOn<MeterDoc>(conn, 'Meter', meterSchema, 'meters');
