import { projectionFields } from '@csp/kernel';
import { Schema, type Connection, type Model } from 'mongoose';

export interface OfferDoc {
  _id: string;
  name: string;
  billingType: 'USAGE' | 'LICENSE';
}

/** A LICENSE offer's monthly unit price in one market, from the time it was published on. */
export interface OfferPriceDoc {
  _id: string; // `${offerId}:${market}:${effectiveAt ISO}`
  offerId: string;
  market: string;
  currency: string;
  unitPrice: string;
  effectiveAt: Date;
}

const offerSchema = new Schema<OfferDoc>({ _id: String, name: String, billingType: String, ...projectionFields }, { versionKey: false });
const priceSchema = new Schema<OfferPriceDoc>(
  {
    _id: String,
    offerId: { type: String, required: true, index: true },
    market: { type: String, required: true },
    currency: { type: String, required: true },
    unitPrice: { type: String, required: true },
    effectiveAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export const offerModel = (conn: Connection): Model<OfferDoc> =>
  (conn.models.Offer as Model<OfferDoc>) ?? conn.model<OfferDoc>('Offer', offerSchema, 'offers');
export const offerPriceModel = (conn: Connection): Model<OfferPriceDoc> =>
  (conn.models.OfferPrice as Model<OfferPriceDoc>) ?? conn.model<OfferPriceDoc>('OfferPrice', priceSchema, 'offer_prices');
