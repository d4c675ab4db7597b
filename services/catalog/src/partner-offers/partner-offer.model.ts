import type { PartnerOfferChargeType, PartnerOfferFulfilment } from '@csp/events';
import { outboxField, type Envelope, projectionFields, docSchema, modelOn, required } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

export interface PartnerOfferPriceDoc {
  /** Exact decimal string in the publisher's currency. */
  unitPrice: string;
  currency: string;
  effectiveFrom: Date;
}

/** A partner's own product (managed service, setup fee, third-party app), owned by `publisherId`. */
export interface PartnerOfferDoc {
  _id: string;
  publisherId: string;
  name: string;
  description?: string | null;
  chargeType: PartnerOfferChargeType;
  fulfilment: PartnerOfferFulfilment;
  attachesToOfferId?: string | null;
  /** Every price with the instant it applies from, oldest first; a change only appends. */
  prices: PartnerOfferPriceDoc[];
  status: 'ACTIVE' | 'RETIRED';
  retiredAt?: Date | null;
  publishedAt: Date;
  outbox: Envelope[];
}

const schema = docSchema<PartnerOfferDoc>({
  publisherId: required(String, { index: true }),
  name: required(String),
  description: String,
  chargeType: required(String),
  fulfilment: required(String),
  attachesToOfferId: String,
  prices: [{ _id: false, unitPrice: String, currency: String, effectiveFrom: Date }],
  status: required(String),
  retiredAt: Date,
  publishedAt: required(Date),
  outbox: outboxField(),
});

export const partnerOfferModel = (conn: Connection): Model<PartnerOfferDoc> => modelOn<PartnerOfferDoc>(conn, 'PartnerOffer', schema, 'partner_offers');

/** Partners as identity announced them: the catalog needs who may publish and in which currency. */
export interface CatalogPartnerDoc {
  _id: string;
  name: string;
  tier: string;
  currency: string;
}

const partnerSchema = docSchema<CatalogPartnerDoc>({ name: String, tier: String, currency: String, ...projectionFields });

export const catalogPartnerModel = (conn: Connection): Model<CatalogPartnerDoc> => modelOn<CatalogPartnerDoc>(conn, 'CatalogPartner', partnerSchema, 'rm_partners');

/** The price in force at `at`: the latest that took effect on or before it (the first before any). */
export function priceAt(prices: PartnerOfferPriceDoc[], at: Date): PartnerOfferPriceDoc {
  let best = prices[0];
  for (const p of prices) if (new Date(p.effectiveFrom).getTime() <= at.getTime()) best = p;
  return best;
}
