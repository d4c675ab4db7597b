import { Schema, type Connection, type Model } from 'mongoose';
import type { PartnerTier } from '@csp/events';
import { projectionFields } from '@csp/kernel';

/**
 * What ordering needs to know about other services' data, fed by their events (never their
 * databases). Current-state facts are projected (kernel Projector): `at`/`eventId` name the event
 * that last wrote the fact, so an older event delivered late does not overwrite a newer one.
 */
export interface PartnerFact {
  _id: string;
  name?: string;
  tier?: PartnerTier;
  market?: string;
  currency?: string;
  adminAgentsGroupId?: string;
}

/**
 * Facts written by different events live in different documents: the local store applies an
 * update by read-then-write, so two events updating one document at once could drop a field.
 */
export interface ResellerLinkFact {
  /** `${resellerId}:${distributorId}` */
  _id: string;
  resellerId: string;
  distributorId: string;
}

export interface CustomerFact {
  _id: string;
  companyName?: string;
  country?: string;
  currency?: string;
  /** The selling partner (direct provider or reseller). */
  partnerId?: string;
  distributorId?: string;
}

export interface RelationshipFact {
  /** `${partnerId}:${customerId}` */
  _id: string;
  partnerId: string;
  customerId: string;
  status: 'ACTIVE' | 'REVOKED';
  at: Date;
}

export interface MarketFact {
  _id: string;
  currency?: string;
  countries: string[];
}

export interface OfferFact {
  _id: string;
  name?: string;
  billingType?: 'USAGE' | 'LICENSE';
  minQuantity?: number;
  maxQuantity?: number;
}

/** Where and from when an offer is sold (offer.availabilityChanged), apart from the offer itself. */
export interface AvailabilityFact {
  _id: string;
  availability: Array<{ market: string; availableFrom: Date }>;
  at: Date;
}

export interface MeterFact {
  /** `${market}:${meterId}` */
  _id: string;
  market: string;
  meterId: string;
  unit?: string;
}

/** A partner's own offer (partnerOffer.published): orderable only by its publisher. */
export interface PartnerOfferFact {
  _id: string;
  publisherId: string;
  name: string;
  chargeType: 'MONTHLY' | 'ONE_TIME';
  fulfilment: 'MANUAL' | 'AUTOMATIC';
  attachesToOfferId?: string;
}

/** One price of a partner offer from its instant on (published and every change): insert-only. */
export interface PartnerOfferPriceFact {
  /** `${offerId}|${event id}` */
  _id: string;
  offerId: string;
  unitPrice: string;
  currency: string;
  effectiveFrom: Date;
}

/** A retired partner offer: no new orders from `at` on. */
export interface PartnerOfferRetiredFact {
  _id: string;
  at: Date;
}

const opts = { versionKey: false } as const;

const partnerSchema = new Schema<PartnerFact>(
  { _id: String, name: String, tier: String, market: String, currency: String, adminAgentsGroupId: String, ...projectionFields },
  opts,
);
const linkSchema = new Schema<ResellerLinkFact>({ _id: String, resellerId: { type: String, index: true }, distributorId: String }, opts);
const customerSchema = new Schema<CustomerFact>(
  { _id: String, companyName: String, country: String, currency: String, partnerId: String, distributorId: String, ...projectionFields },
  opts,
);
const relationshipSchema = new Schema<RelationshipFact>(
  { _id: String, partnerId: String, customerId: { type: String, index: true }, status: String, ...projectionFields },
  opts,
);
const marketSchema = new Schema<MarketFact>({ _id: String, currency: String, countries: { type: [String], index: true }, ...projectionFields }, opts);
const offerSchema = new Schema<OfferFact>(
  {
    _id: String,
    name: String,
    billingType: String,
    minQuantity: Number,
    maxQuantity: Number,
    ...projectionFields,
  },
  opts,
);
const availabilitySchema = new Schema<AvailabilityFact>(
  { _id: String, availability: [{ _id: false, market: String, availableFrom: Date }], ...projectionFields },
  opts,
);
const meterSchema = new Schema<MeterFact>({ _id: String, market: String, meterId: String, unit: String, ...projectionFields }, opts);

const partnerOfferSchema = new Schema<PartnerOfferFact>(
  { _id: String, publisherId: { type: String, index: true }, name: String, chargeType: String, fulfilment: String, attachesToOfferId: String, ...projectionFields },
  opts,
);
const partnerOfferPriceSchema = new Schema<PartnerOfferPriceFact>(
  { _id: String, offerId: { type: String, index: true }, unitPrice: String, currency: String, effectiveFrom: Date },
  opts,
);
const partnerOfferRetiredSchema = new Schema<PartnerOfferRetiredFact>({ _id: String, at: Date }, opts);

function model<T>(conn: Connection, name: string, schema: Schema<T>, collection: string): Model<T> {
  return (conn.models[name] as Model<T>) ?? conn.model<T>(name, schema, collection);
}

export function readModels(conn: Connection) {
  return {
    partners: model(conn, 'PartnerFact', partnerSchema, 'rm_partners'),
    customers: model(conn, 'CustomerFact', customerSchema, 'rm_customers'),
    relationships: model(conn, 'RelationshipFact', relationshipSchema, 'rm_relationships'),
    markets: model(conn, 'MarketFact', marketSchema, 'rm_markets'),
    resellerLinks: model(conn, 'ResellerLinkFact', linkSchema, 'rm_reseller_links'),
    offers: model(conn, 'OfferFact', offerSchema, 'rm_offers'),
    availability: model(conn, 'AvailabilityFact', availabilitySchema, 'rm_offer_availability'),
    meters: model(conn, 'MeterFact', meterSchema, 'rm_meters'),
    partnerOffers: model(conn, 'PartnerOfferFact', partnerOfferSchema, 'rm_partner_offers'),
    partnerOfferPrices: model(conn, 'PartnerOfferPriceFact', partnerOfferPriceSchema, 'rm_partner_offer_prices'),
    partnerOffersRetired: model(conn, 'PartnerOfferRetiredFact', partnerOfferRetiredSchema, 'rm_partner_offers_retired'),
  };
}

export type ReadModels = ReturnType<typeof readModels>;

export const relationshipId = (partnerId: string, customerId: string) => `${partnerId}:${customerId}`;
