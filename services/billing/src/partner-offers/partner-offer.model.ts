import { projectionFields, docSchema, modelOn, required } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

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

const offerSchema = docSchema<BillPartnerOfferDoc>({ publisherId: String, name: String, chargeType: String, ...projectionFields });
const priceSchema = docSchema<BillPartnerOfferPriceDoc>({ offerId: required(String, { index: true }), unitPrice: required(String), currency: required(String), effectiveFrom: required(Date) });

export const partnerOfferModel = (conn: Connection): Model<BillPartnerOfferDoc> => modelOn<BillPartnerOfferDoc>(conn, 'BillPartnerOffer', offerSchema, 'partner_offers');
export const partnerOfferPriceModel = (conn: Connection): Model<BillPartnerOfferPriceDoc> => modelOn<BillPartnerOfferPriceDoc>(conn, 'BillPartnerOfferPrice', priceSchema, 'partner_offer_prices');
