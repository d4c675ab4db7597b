import type { EventMap } from '@csp/events';
import { insertOnce, type Envelope, type Projector } from '@csp/kernel';
import type { SupportDeps } from '../deps';

type On<K extends keyof EventMap> = (ev: Envelope<EventMap[K]>) => Promise<void>;

/**
 * Support's read models of who is whose partner, reseller links, staff roles, subscription
 * owners and invoice parties, fed only by events (queue `events-support`). Current state is
 * projected (last writer wins by event order); facts are inserted under their own key, so
 * redelivery or reordering cannot corrupt them.
 */
export function directoryHandlers(deps: SupportDeps, project: Projector) {
  const m = deps.models;
  const partnerOnboarded: On<'partner.onboarded'> = async (ev) => {
    const p = ev.payload;
    await project.apply(m.partners, p.partnerId, ev, { $set: { name: p.name, tier: p.tier } });
  };
  const resellerLinked: On<'reseller.linked'> = async ({ payload: { distributorId, resellerId } }) => {
    await insertOnce(m.resellerLinks, { _id: `${distributorId}|${resellerId}`, distributorId, resellerId });
  };
  const customerCreated: On<'customer.created'> = async (ev) => {
    const c = ev.payload;
    await project.apply(m.customers, c.customerId, ev, { $set: { partnerId: c.partnerId, ...(c.distributorId ? { distributorId: c.distributorId } : {}) } });
  };
  const relationship =
    (active: boolean): On<'relationship.established'> =>
    async (ev) => {
      const { customerId, partnerId } = ev.payload;
      await project.apply(m.relationships, `${customerId}|${partnerId}`, ev, { $set: { customerId, partnerId, active } });
    };
  const rolesChanged: On<'user.rolesChanged'> = async (ev) => {
    const u = ev.payload;
    await project.apply(m.staff, u.userId, ev, {
      $set: { email: u.email, kind: u.kind, roles: u.roles, ...(u.partnerId ? { partnerId: u.partnerId } : {}), ...(u.customerId ? { customerId: u.customerId } : {}) },
    });
  };
  const subscriptionCreated: On<'subscription.created'> = async ({ payload: s }) => {
    await insertOnce(m.subscriptions, { _id: s.subscriptionId, customerId: s.customerId, partnerId: s.partnerId, ...(s.resellerId ? { resellerId: s.resellerId } : {}) });
  };
  const invoiceIssued: On<'invoice.issued'> = async ({ payload: i }) => {
    await insertOnce(m.invoices, { _id: i.invoiceId, issuerId: i.issuerId, billToId: i.billToId });
  };
  return {
    'partner.onboarded': partnerOnboarded,
    'reseller.linked': resellerLinked,
    'customer.created': customerCreated,
    'relationship.established': relationship(true),
    'relationship.revoked': relationship(false),
    'user.rolesChanged': rolesChanged,
    'subscription.created': subscriptionCreated,
    'invoice.issued': invoiceIssued,
  };
}
