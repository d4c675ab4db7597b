import type { RateCardMeterSnapshot } from '@csp/events';
import { outboxSchema, type Envelope, docSchema, modelOn } from '@csp/kernel';
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

const tierSchema = new Schema({ fromQuantity: { type: String, required: true }, price: { type: String, required: true } }, { _id: false });
const cardMeterSchema = new Schema(
  { id: { type: String, required: true }, name: String, category: String, unit: String, rates: { type: [tierSchema], default: [] } },
  { _id: false },
);

const cardSchema = docSchema<RateCardDoc>({
  market: { type: String, required: true },
  currency: { type: String, required: true },
  effectiveFrom: { type: Date, required: true },
  meters: { type: [cardMeterSchema], default: [] },
  publishedAt: { type: Date, required: true },
  outbox: { type: [outboxSchema], default: [] },
});
// History: a later card adds a row; the pair (market, effectiveFrom) names one card only.
cardSchema.index({ market: 1, effectiveFrom: -1 }, { unique: true });

const meterSchema = docSchema<MeterDoc>({ name: { type: String, required: true }, category: { type: String, required: true, index: true }, unit: { type: String, required: true } });

export const rateCardModel = (conn: Connection): Model<RateCardDoc> => modelOn<RateCardDoc>(conn, 'RateCard', cardSchema, 'rate_cards');

export const meterModel = (conn: Connection): Model<MeterDoc> => modelOn<MeterDoc>(conn, 'Meter', meterSchema, 'meters');
