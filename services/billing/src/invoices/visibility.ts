import type { Caller } from '@csp/kernel';
import { VENDOR_ID } from './invoicing.service';

/**
 * The invoices a caller may see: those its party issued or received. The operator is the
 * vendor; a partner user its partner; a customer user its customer (as a bill-to only).
 */
export function visibleInvoices(caller: Caller): Record<string, unknown> {
  switch (caller.kind) {
    case 'OPERATOR':
      return { $or: [{ issuerId: VENDOR_ID }, { billToId: VENDOR_ID }] };
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
