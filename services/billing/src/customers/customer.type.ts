import { entityRef } from '@csp/kernel';

/** Identity's Customer, extended here with its invoices. */
export const CustomerRef = entityRef('Customer', { resolvable: true });
export type CustomerRef = InstanceType<typeof CustomerRef>;
