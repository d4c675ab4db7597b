import { projectionFields } from '@csp/kernel';
import { Schema, type Connection, type Model } from 'mongoose';

/** A partner's own offer as the catalog announced it (partnerOffer.published). */
export interface BillPartnerOfferDoc {
  _id: string;
  publisherId: string;
  name: string;
  chargeType: 'MONTHLY' | 'ONE_TIME';
}

/** One price of a partner offer from `effectiveFrom` on (published or changed): insert-only. */
export interface BillPartnerOfferPriceDoc {
  _id: string; // `${offerId}|${event id}`
  offerId: string;
  unitPrice: string;
  currency: string;
  effectiveFrom: Date;
}

const offerSchema = new Schema<BillPartnerOfferDoc>({ _id: String, publisherId: String, name: String, chargeType: String, ...projectionFields }, { versionKey: false });
const priceSchema = new Schema<BillPartnerOfferPriceDoc>(
  { _id: String, offerId: { type: String, required: true, index: true }, unitPrice: { type: String, required: true }, currency: { type: String, required: true }, effectiveFrom: { type: Date, required: true } },
  { versionKey: false },
);

export const partnerOfferModel = (conn: Connection): Model<BillPartnerOfferDoc> =>
  (conn.models.BillPartnerOffer as Model<BillPartnerOfferDoc>) ?? conn.model<BillPartnerOfferDoc>('BillPartnerOffer', offerSchema, 'partner_offers');
export const partnerOfferPriceModel = (conn: Connection): Model<BillPartnerOfferPriceDoc> =>
  (conn.models.BillPartnerOfferPrice as Model<BillPartnerOfferPriceDoc>) ??
  conn.model<BillPartnerOfferPriceDoc>('BillPartnerOfferPrice', priceSchema, 'partner_offer_prices');
