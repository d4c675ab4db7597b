import type { BillingType, OfferFamily } from '@csp/events';
import { outboxSchema, type Envelope, docSchema, modelOn } from '@csp/kernel';
import { Schema, type Connection, type Model } from 'mongoose';

export interface OfferPriceDoc {
  market: string;
  currency: string;
  /** Exact decimal string in the market's currency, as published. */
  unitPrice: string;
}

export interface OfferDoc {
  _id: string;
  name: string;
  family: OfferFamily;
  billingType: BillingType;
  minQuantity: number;
  maxQuantity: number;
  prices: OfferPriceDoc[];
  /**
   * Market code → available from. A map rather than an array so "available in K now" is one
   * indexable path (`availability.K <= now`): FerretDB v1 has no field-document $elemMatch.
   */
  availability: Record<string, Date>;
  revision: number;
  publishedAt: Date;
  outbox: Envelope[];
}

const priceSchema = new Schema<OfferPriceDoc>(
  { market: { type: String, required: true }, currency: { type: String, required: true }, unitPrice: { type: String, required: true } },
  { _id: false },
);

const schema = docSchema<OfferDoc>({
  name: { type: String, required: true },
  family: { type: String, required: true, index: true },
  billingType: { type: String, required: true },
  minQuantity: { type: Number, required: true },
  maxQuantity: { type: Number, required: true },
  prices: { type: [priceSchema], default: [] },
  availability: { type: Schema.Types.Mixed, default: {} },
  revision: { type: Number, required: true },
  publishedAt: { type: Date, required: true },
  outbox: { type: [outboxSchema], default: [] },
}, { minimize: false });

export const offerModel = (conn: Connection): Model<OfferDoc> => modelOn<OfferDoc>(conn, 'Offer', schema, 'offers');
