import type { Caller } from '@csp/kernel';
import { VENDOR_ID } from './parties';

/**
 * The invoices a caller may see: those its party issued or received — a partner user its
 * partner's, a customer user its customer's (as a bill-to only). The vendor operator runs the
 * platform and reads every invoice (support, audit, the reconciliation of the whole channel);
 * it marks paid only the vendor's own.
 */
export function visibleInvoices(caller: Caller): Record<string, unknown> {
  switch (caller.kind) {
    case 'OPERATOR':
      return {};
    case 'PARTNER_USER':
      return caller.partnerId ? { $or: [{ issuerId: caller.partnerId }, { billToId: caller.partnerId }] } : { _id: { $in: [] } };
    case 'CUSTOMER_USER':
      return caller.customerId ? { billToId: caller.customerId, kind: 'PARTNER_TO_CUSTOMER' } : { _id: { $in: [] } };
    default:
      return { _id: { $in: [] } };
  }
}

/** The party the caller acts for when issuing (marking paid). */
export const callerParty = (caller: Caller) => (caller.kind === 'OPERATOR' ? VENDOR_ID : caller.kind === 'PARTNER_USER' ? caller.partnerId : undefined);
