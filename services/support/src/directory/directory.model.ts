import { projectionFields, docSchema, modelOn } from '@csp/kernel';
import type { Connection } from 'mongoose';

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


export const partnerModel = (conn: Connection) => modelOn<PartnerDoc>(conn, 'Partner', docSchema<PartnerDoc>({ name: String, tier: String, ...projectionFields }), 'partners');
export const resellerLinkModel = (conn: Connection) =>
  modelOn<ResellerLinkDoc>(conn, 'ResellerLink', docSchema<ResellerLinkDoc>({ distributorId: { type: String, index: true }, resellerId: { type: String, index: true } }), 'reseller_links');
export const customerModel = (conn: Connection) => modelOn<CustomerDoc>(conn, 'Customer', docSchema<CustomerDoc>({ partnerId: String, distributorId: String, ...projectionFields }), 'customers');
export const relationshipModel = (conn: Connection) =>
  modelOn<RelationshipDoc>(conn, 'Relationship', docSchema<RelationshipDoc>({ customerId: String, partnerId: String, active: Boolean, ...projectionFields }), 'relationships');
export const staffModel = (conn: Connection) =>
  modelOn<StaffDoc>(conn, 'Staff', docSchema<StaffDoc>({ email: String, kind: String, partnerId: { type: String, index: true }, customerId: String, roles: [String], ...projectionFields }), 'staff');
export const subscriptionModel = (conn: Connection) =>
  modelOn<SubscriptionDoc>(conn, 'Subscription', docSchema<SubscriptionDoc>({ customerId: String, partnerId: String, resellerId: String }), 'subscriptions');
export const invoiceModel = (conn: Connection) => modelOn<InvoiceDoc>(conn, 'Invoice', docSchema<InvoiceDoc>({ issuerId: String, billToId: String }), 'invoices');
