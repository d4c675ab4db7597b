import { projectionFields } from '@csp/kernel';
import { Schema, type Connection, type Model } from 'mongoose';

/** Partners as identity announced them: support needs tier and name. */
export interface PartnerDoc {
  _id: string;
  name: string;
  tier: 'DIRECT_PROVIDER' | 'INDIRECT_PROVIDER' | 'INDIRECT_RESELLER';
}

/** A distributor ↔ reseller link (insert-only; the id is the pair). */
export interface ResellerLinkDoc {
  _id: string; // `${distributorId}|${resellerId}`
  distributorId: string;
  resellerId: string;
}

/** Customers: the selling partner (a reseller's customer names its distributor too). */
export interface CustomerDoc {
  _id: string;
  partnerId: string;
  distributorId?: string;
}

/** A customer ↔ partner relationship; revoked ones stay (history remains readable). */
export interface RelationshipDoc {
  _id: string; // `${customerId}|${partnerId}`
  customerId: string;
  partnerId: string;
  active: boolean;
}

/** Partner and customer users with their staff roles (user.rolesChanged). */
export interface StaffDoc {
  _id: string; // userId
  email: string;
  kind: 'PARTNER_USER' | 'CUSTOMER_USER';
  partnerId?: string;
  customerId?: string;
  roles: string[];
}

/** Who a subscription belongs to (subscription.created): tickets may name only the requester's own. */
export interface SubscriptionDoc {
  _id: string;
  customerId: string;
  partnerId: string;
  resellerId?: string;
}

/** Who issued an invoice to whom (invoice.issued): tickets may name only the requester's own. */
export interface InvoiceDoc {
  _id: string;
  issuerId: string;
  billToId: string;
}

const model = <T>(conn: Connection, name: string, schema: Schema<T>, collection: string): Model<T> =>
  (conn.models[name] as Model<T>) ?? conn.model<T>(name, schema, collection);
const opts = { versionKey: false } as const;

export const partnerModel = (conn: Connection) => model<PartnerDoc>(conn, 'Partner', new Schema<PartnerDoc>({ _id: String, name: String, tier: String, ...projectionFields }, opts), 'partners');
export const resellerLinkModel = (conn: Connection) =>
  model<ResellerLinkDoc>(conn, 'ResellerLink', new Schema<ResellerLinkDoc>({ _id: String, distributorId: { type: String, index: true }, resellerId: { type: String, index: true } }, opts), 'reseller_links');
export const customerModel = (conn: Connection) => model<CustomerDoc>(conn, 'Customer', new Schema<CustomerDoc>({ _id: String, partnerId: String, distributorId: String, ...projectionFields }, opts), 'customers');
export const relationshipModel = (conn: Connection) =>
  model<RelationshipDoc>(conn, 'Relationship', new Schema<RelationshipDoc>({ _id: String, customerId: String, partnerId: String, active: Boolean, ...projectionFields }, opts), 'relationships');
export const staffModel = (conn: Connection) =>
  model<StaffDoc>(conn, 'Staff', new Schema<StaffDoc>({ _id: String, email: String, kind: String, partnerId: { type: String, index: true }, customerId: String, roles: [String], ...projectionFields }, opts), 'staff');
export const subscriptionModel = (conn: Connection) =>
  model<SubscriptionDoc>(conn, 'Subscription', new Schema<SubscriptionDoc>({ _id: String, customerId: String, partnerId: String, resellerId: String }, opts), 'subscriptions');
export const invoiceModel = (conn: Connection) => model<InvoiceDoc>(conn, 'Invoice', new Schema<InvoiceDoc>({ _id: String, issuerId: String, billToId: String }, opts), 'invoices');
