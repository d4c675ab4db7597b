import { projectionFields, docSchema, modelOn } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

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

const offerSchema = docSchema<OfferDoc>({ name: String, billingType: String, ...projectionFields });
const priceSchema = docSchema<OfferPriceDoc>({
  offerId: { type: String, required: true, index: true },
  market: { type: String, required: true },
  currency: { type: String, required: true },
  unitPrice: { type: String, required: true },
  effectiveAt: { type: Date, required: true },
});

export const offerModel = (conn: Connection): Model<OfferDoc> => modelOn<OfferDoc>(conn, 'Offer', offerSchema, 'offers');
export const offerPriceModel = (conn: Connection): Model<OfferPriceDoc> => modelOn<OfferPriceDoc>(conn, 'OfferPrice', priceSchema, 'offer_prices');
