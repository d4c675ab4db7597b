import { projectionFields } from '@csp/kernel';
import { Schema, type Connection, type Model } from 'mongoose';

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

const relationshipSchema = new Schema<RelationshipDoc>({ _id: String, active: Boolean, ...projectionFields }, { versionKey: false });
const partnerSchema = new Schema<PartnerDoc>({ _id: String, name: String, tier: String, market: String, currency: String, country: String, taxId: String, ...projectionFields }, { versionKey: false });
const linkSchema = new Schema<ResellerLinkDoc>(
  { _id: String, distributorId: { type: String, index: true }, resellerId: { type: String, index: true } },
  { versionKey: false },
);
const customerSchema = new Schema<BillCustomerDoc>(
  { _id: String, companyName: String, partnerId: { type: String, index: true }, distributorId: String, currency: String, country: String, taxId: String, ...projectionFields },
  { versionKey: false },
);

export const partnerModel = (conn: Connection): Model<PartnerDoc> =>
  (conn.models.Partner as Model<PartnerDoc>) ?? conn.model<PartnerDoc>('Partner', partnerSchema, 'partners');
export const resellerLinkModel = (conn: Connection): Model<ResellerLinkDoc> =>
  (conn.models.ResellerLink as Model<ResellerLinkDoc>) ?? conn.model<ResellerLinkDoc>('ResellerLink', linkSchema, 'reseller_links');
export const billCustomerModel = (conn: Connection): Model<BillCustomerDoc> =>
  (conn.models.BillCustomer as Model<BillCustomerDoc>) ?? conn.model<BillCustomerDoc>('BillCustomer', customerSchema, 'customers');
export const relationshipModel = (conn: Connection): Model<RelationshipDoc> =>
  (conn.models.Relationship as Model<RelationshipDoc>) ?? conn.model<RelationshipDoc>('Relationship', relationshipSchema, 'relationships');
