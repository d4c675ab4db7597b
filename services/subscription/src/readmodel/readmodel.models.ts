import type { Connection } from 'mongoose';
import type { PartnerTier } from '@csp/events';
import { changesCache, projectionFields, docSchema, modelOn } from '@csp/kernel';
import { OFFER_NAMES } from './offer-names';

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


const partnerSchema = docSchema<PartnerFact>({ name: String, tier: String, market: String, currency: String, adminAgentsGroupId: String, ...projectionFields });
const linkSchema = docSchema<ResellerLinkFact>({ resellerId: { type: String, index: true }, distributorId: String });
const customerSchema = docSchema<CustomerFact>({ companyName: String, country: String, currency: String, partnerId: String, distributorId: String, ...projectionFields });
const relationshipSchema = docSchema<RelationshipFact>({ partnerId: String, customerId: { type: String, index: true }, status: String, ...projectionFields });
const marketSchema = docSchema<MarketFact>({ currency: String, countries: { type: [String], index: true }, ...projectionFields });
const offerSchema = docSchema<OfferFact>({
  name: String,
  billingType: String,
  minQuantity: Number,
  maxQuantity: Number,
  ...projectionFields,
});
// Offer names are cached per process (offer-names.ts): every write drops the cached copy.
changesCache(offerSchema, OFFER_NAMES);
const availabilitySchema = docSchema<AvailabilityFact>({ availability: [{ _id: false, market: String, availableFrom: Date }], ...projectionFields });
const meterSchema = docSchema<MeterFact>({ market: String, meterId: String, unit: String, ...projectionFields });

const partnerOfferSchema = docSchema<PartnerOfferFact>({ publisherId: { type: String, index: true }, name: String, chargeType: String, fulfilment: String, attachesToOfferId: String, ...projectionFields });
changesCache(partnerOfferSchema, OFFER_NAMES);
const partnerOfferPriceSchema = docSchema<PartnerOfferPriceFact>({ offerId: { type: String, index: true }, unitPrice: String, currency: String, effectiveFrom: Date });
const partnerOfferRetiredSchema = docSchema<PartnerOfferRetiredFact>({ at: Date });


export function readModels(conn: Connection) {
  return {
    partners: modelOn(conn, 'PartnerFact', partnerSchema, 'rm_partners'),
    customers: modelOn(conn, 'CustomerFact', customerSchema, 'rm_customers'),
    relationships: modelOn(conn, 'RelationshipFact', relationshipSchema, 'rm_relationships'),
    markets: modelOn(conn, 'MarketFact', marketSchema, 'rm_markets'),
    resellerLinks: modelOn(conn, 'ResellerLinkFact', linkSchema, 'rm_reseller_links'),
    offers: modelOn(conn, 'OfferFact', offerSchema, 'rm_offers'),
    availability: modelOn(conn, 'AvailabilityFact', availabilitySchema, 'rm_offer_availability'),
    meters: modelOn(conn, 'MeterFact', meterSchema, 'rm_meters'),
    partnerOffers: modelOn(conn, 'PartnerOfferFact', partnerOfferSchema, 'rm_partner_offers'),
    partnerOfferPrices: modelOn(conn, 'PartnerOfferPriceFact', partnerOfferPriceSchema, 'rm_partner_offer_prices'),
    partnerOffersRetired: modelOn(conn, 'PartnerOfferRetiredFact', partnerOfferRetiredSchema, 'rm_partner_offers_retired'),
  };
}

export type ReadModels = ReturnType<typeof readModels>;

export const relationshipId = (partnerId: string, customerId: string) => `${partnerId}:${customerId}`;
