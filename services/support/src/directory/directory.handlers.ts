import type { EventMap } from '@csp/events';
import { isDuplicateKey, type Envelope, type Handler } from '@csp/kernel';
import type { SupportDeps } from '../deps';

const ignoreDuplicate = (err: unknown) => {
  if (!isDuplicateKey(err)) throw err;
};

type On<K extends keyof EventMap> = (ev: Envelope<EventMap[K]>) => Promise<void>;

/**
 * Support's read models of who is whose partner, reseller links, staff roles, subscription
 * owners and invoice parties, fed only by events (queue `events-support`). Each handler upserts the publisher's
 * current values or inserts keyed by the fact, so redelivery or reordering cannot corrupt them.
 */
export function directoryHandlers(deps: SupportDeps): Record<string, Handler> {
  const m = deps.models;
  const partnerOnboarded: On<'partner.onboarded'> = async ({ payload: p }) => {
    await m.partners.updateOne({ _id: p.partnerId }, { $set: { name: p.name, tier: p.tier } }, { upsert: true });
  };
  const resellerLinked: On<'reseller.linked'> = async ({ payload: { distributorId, resellerId } }) => {
    await m.resellerLinks.create({ _id: `${distributorId}|${resellerId}`, distributorId, resellerId }).catch(ignoreDuplicate);
  };
  const customerCreated: On<'customer.created'> = async ({ payload: c }) => {
    await m.customers.updateOne({ _id: c.customerId }, { $set: { partnerId: c.partnerId, ...(c.distributorId ? { distributorId: c.distributorId } : {}) } }, { upsert: true });
  };
  const relationship =
    (active: boolean): On<'relationship.established'> =>
    async ({ payload: { customerId, partnerId } }) => {
      await m.relationships.updateOne({ _id: `${customerId}|${partnerId}` }, { $set: { customerId, partnerId, active } }, { upsert: true });
    };
  const rolesChanged: On<'user.rolesChanged'> = async ({ payload: u }) => {
    await m.staff.updateOne(
      { _id: u.userId },
      { $set: { email: u.email, kind: u.kind, roles: u.roles, ...(u.partnerId ? { partnerId: u.partnerId } : {}), ...(u.customerId ? { customerId: u.customerId } : {}) } },
      { upsert: true },
    );
  };
  const subscriptionCreated: On<'subscription.created'> = async ({ payload: s }) => {
    await m.subscriptions
      .create({ _id: s.subscriptionId, customerId: s.customerId, partnerId: s.partnerId, ...(s.resellerId ? { resellerId: s.resellerId } : {}) })
      .catch(ignoreDuplicate);
  };
  const invoiceIssued: On<'invoice.issued'> = async ({ payload: i }) => {
    await m.invoices.create({ _id: i.invoiceId, issuerId: i.issuerId, billToId: i.billToId }).catch(ignoreDuplicate);
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
  } as Record<string, Handler>;
}
