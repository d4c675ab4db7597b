import { badInput, forbidden, type Caller } from '@csp/kernel';
import type { SupportModels } from '../models';
import { VENDOR } from './ticket.model';

export interface Addressee {
  partnerId?: string;
  toVendor?: boolean | null;
}

/**
 * Who opens with whom (the seed's rule): a customer user with one of its partners (the reseller
 * for a reseller's customer), a reseller with one of its distributors, a direct provider or a
 * distributor with the vendor. Anything else is FORBIDDEN. A revoked relationship closes the door.
 * Returns the handler key (a partner id or VENDOR).
 */
export async function handlerFor(m: SupportModels, caller: Caller, to: Addressee): Promise<string> {
  if (to.partnerId && to.toVendor) throw badInput('Name either partnerId or toVendor, not both.', 'partnerId');
  if (caller.kind === 'CUSTOMER_USER' && caller.customerId) {
    if (to.toVendor) throw forbidden('Customers ask their partner for support, never the vendor: name one of your partners (partnerId).');
    let partnerId = to.partnerId;
    if (!partnerId) {
      const customer = await m.customers.findById(caller.customerId).lean();
      partnerId = customer?.partnerId;
    }
    const rel = partnerId ? await m.relationships.findById(`${caller.customerId}|${partnerId}`).lean() : null;
    if (!partnerId || !rel?.active) throw forbidden(`You can open tickets only with a partner you work with; ${partnerId ?? 'no partner'} is not (or no longer) one of yours.`);
    return partnerId;
  }
  if (caller.kind === 'PARTNER_USER' && caller.partnerId) {
    const me = await m.partners.findById(caller.partnerId).lean();
    if (!me) throw forbidden('Your partner account is not known to support yet; try again in a moment.');
    if (me.tier === 'INDIRECT_RESELLER') {
      if (to.toVendor) throw forbidden('Resellers open tickets with their distributor; only direct providers and distributors reach the vendor.');
      let distributorId = to.partnerId;
      if (!distributorId) {
        const links = await m.resellerLinks.find({ resellerId: me._id }).sort({ _id: 1 }).lean();
        if (links.length !== 1) throw badInput(links.length ? 'You work with several distributors: name one (partnerId).' : 'You have no distributor to open a ticket with.', 'partnerId');
        distributorId = links[0].distributorId;
      }
      const link = await m.resellerLinks.exists({ _id: `${distributorId}|${me._id}` });
      if (!link) throw forbidden(`You can open tickets only with a distributor you are linked to; ${distributorId} is not one of yours.`);
      return distributorId;
    }
    if (to.partnerId) throw forbidden('Direct providers and distributors open tickets with the vendor (toVendor: true), not with another partner.');
    return VENDOR;
  }
  throw forbidden('Only customer and partner users open tickets; the vendor operator answers them.');
}

/** The next level up from a partner that handles a ticket: a reseller's distributor, else the vendor. */
export async function nextLevel(m: SupportModels, handlerPartnerId: string, customerId?: string): Promise<string> {
  const me = await m.partners.findById(handlerPartnerId).lean();
  if (me?.tier !== 'INDIRECT_RESELLER') return VENDOR;
  // The distributor the customer's business runs through, else the reseller's first link.
  const customer = customerId ? await m.customers.findById(customerId).lean() : null;
  if (customer?.distributorId && (await m.resellerLinks.exists({ _id: `${customer.distributorId}|${me._id}` }))) return customer.distributorId;
  const link = await m.resellerLinks.findOne({ resellerId: me._id }).sort({ _id: 1 }).lean();
  if (!link) throw forbidden('You have no distributor to escalate to.');
  return link.distributorId;
}
