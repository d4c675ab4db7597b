import { projectionFields, docSchema, modelOn, required } from '@csp/kernel';
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
  offerId: required(String, { index: true }),
  market: required(String),
  currency: required(String),
  unitPrice: required(String),
  effectiveAt: required(Date),
});

export const offerModel = (conn: Connection): Model<OfferDoc> => modelOn<OfferDoc>(conn, 'Offer', offerSchema, 'offers');
export const offerPriceModel = (conn: Connection): Model<OfferPriceDoc> => modelOn<OfferPriceDoc>(conn, 'OfferPrice', priceSchema, 'offer_prices');
