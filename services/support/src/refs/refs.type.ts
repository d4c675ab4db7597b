import { entityRef } from '@csp/kernel';

/** Identity's entities and others' objects a ticket points at: referenced only, their owners resolve the fields. */
export const PartnerRef = entityRef('Partner', { resolvable: false });
export type PartnerRef = InstanceType<typeof PartnerRef>;

export const CustomerRef = entityRef('Customer', { resolvable: false });
export type CustomerRef = InstanceType<typeof CustomerRef>;

export const UserRef = entityRef('User', { resolvable: false });
export type UserRef = InstanceType<typeof UserRef>;

/** The subscription service's CloudSubscription. */
export const CloudSubscriptionRef = entityRef('CloudSubscription', { resolvable: false });
export type CloudSubscriptionRef = InstanceType<typeof CloudSubscriptionRef>;

/** Billing's Invoice (billing checks the viewer may see it). */
export const InvoiceRef = entityRef('Invoice', { resolvable: false });
export type InvoiceRef = InstanceType<typeof InvoiceRef>;
