import { entityRef } from '@csp/kernel';

/** Identity's Partner, extended here with what it owes and has not been invoiced for yet. */
export const PartnerRef = entityRef('Partner', { resolvable: true });
export type PartnerRef = InstanceType<typeof PartnerRef>;
