import { projectionFields, docSchema, modelOn } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

/** Partners as identity announced them: billing needs tier, currency and name. */
export interface PartnerDoc {
  _id: string;
  name: string;
  tier: 'DIRECT_PROVIDER' | 'INDIRECT_PROVIDER' | 'INDIRECT_RESELLER';
  market: string;
  currency: string;
  country?: string;
  /** VAT number (reverse charge). */
  taxId?: string;
}

/** A distributor ↔ reseller link (insert-only; the id is the pair). */
export interface ResellerLinkDoc {
  _id: string; // `${distributorId}|${resellerId}`
  distributorId: string;
  resellerId: string;
}

/** Customers: the selling partner and the agreed currency. */
export interface BillCustomerDoc {
  _id: string;
  companyName: string;
  partnerId: string;
  distributorId?: string;
  currency: string;
  country?: string;
  /** VAT number (reverse charge). */
  taxId?: string;
}

/** A customer ↔ partner relationship (multi-partner customers). */
export interface RelationshipDoc {
  _id: string; // `${customerId}|${partnerId}`
  active: boolean;
}

const relationshipSchema = docSchema<RelationshipDoc>({ active: Boolean, ...projectionFields });
const partnerSchema = docSchema<PartnerDoc>({ name: String, tier: String, market: String, currency: String, country: String, taxId: String, ...projectionFields });
const linkSchema = docSchema<ResellerLinkDoc>({ distributorId: { type: String, index: true }, resellerId: { type: String, index: true } });
const customerSchema = docSchema<BillCustomerDoc>({ companyName: String, partnerId: { type: String, index: true }, distributorId: String, currency: String, country: String, taxId: String, ...projectionFields });

export const partnerModel = (conn: Connection): Model<PartnerDoc> => modelOn<PartnerDoc>(conn, 'Partner', partnerSchema, 'partners');
export const resellerLinkModel = (conn: Connection): Model<ResellerLinkDoc> => modelOn<ResellerLinkDoc>(conn, 'ResellerLink', linkSchema, 'reseller_links');
export const billCustomerModel = (conn: Connection): Model<BillCustomerDoc> => modelOn<BillCustomerDoc>(conn, 'BillCustomer', customerSchema, 'customers');
export const relationshipModel = (conn: Connection): Model<RelationshipDoc> => modelOn<RelationshipDoc>(conn, 'Relationship', relationshipSchema, 'relationships');
