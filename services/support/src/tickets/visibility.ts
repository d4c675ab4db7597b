import type { Caller } from '@csp/kernel';
import type { QueryFilter } from 'mongoose';
import { isSupportStaff, isTenantAdmin } from './roles';
import { VENDOR, type TicketDoc } from './ticket.model';

/**
 * The tickets a caller may see, as a store filter (null: none). The requester's tenant (its
 * admins, or the requester alone), the handling partner's support staff, and the operator for the
 * vendor's queue. Everything else answers NOT_FOUND.
 */
export function visibleTickets(caller: Caller): QueryFilter<TicketDoc> | null {
  switch (caller.kind) {
    case 'OPERATOR':
      return { handlerKey: VENDOR };
    case 'PARTNER_USER': {
      if (!caller.partnerId) return null;
      // A partner's support staff work its whole queue and follow everything the partner raised.
      if (isSupportStaff(caller)) return { $or: [{ handlerKey: caller.partnerId }, { requesterPartnerId: caller.partnerId }] };
      return { requesterPartnerId: caller.partnerId, requesterUserId: caller.userId };
    }
    case 'CUSTOMER_USER':
      if (!caller.customerId) return null;
      return isTenantAdmin(caller) ? { requesterCustomerId: caller.customerId } : { requesterCustomerId: caller.customerId, requesterUserId: caller.userId };
    default:
      return null;
  }
}

export type Side = 'HANDLER' | 'REQUESTER';

/** Which side of a (visible) ticket the caller is on. */
export function sideOf(caller: Caller, t: TicketDoc): Side {
  if (caller.kind === 'OPERATOR' && t.handlerKey === VENDOR) return 'HANDLER';
  if (isSupportStaff(caller) && t.handlerKey === caller.partnerId) return 'HANDLER';
  return 'REQUESTER';
}
