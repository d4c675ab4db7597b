import type { EventMap, EventType } from '@csp/events';

/** Event types an endpoint may subscribe to, and per type: the object and the partners it belongs to. */
type Owners = { objectId: string; partnerIds: string[] };
const partners = (...ids: Array<string | undefined>) => ids.filter((x): x is string => !!x && !x.startsWith('cus_') && x !== 'vendor');

const sub = (p: EventMap['subscription.activated']): Owners => ({ objectId: p.subscriptionId, partnerIds: partners(p.partnerId, p.resellerId) });
const ticket = (p: EventMap['ticket.opened']): Owners => ({ objectId: p.ticketId, partnerIds: partners(p.handlerPartnerId, p.requesterPartnerId) });

export const WEBHOOK_EVENTS = {
  'subscription.activated': sub,
  'subscription.suspended': sub,
  'subscription.cancelled': sub,
  'subscription.failed': sub,
  'invoice.issued': (p: EventMap['invoice.issued']) => ({ objectId: p.invoiceId, partnerIds: partners(p.issuerId, p.billToId) }),
  'budget.thresholdCrossed': (p: EventMap['budget.thresholdCrossed']) => ({ objectId: p.budgetId, partnerIds: partners(p.partnerId) }),
  'ticket.opened': ticket,
  'ticket.firstResponded': ticket,
  'ticket.statusChanged': ticket,
  'ticket.escalated': ticket,
  'ticket.slaBreached': ticket,
  'relationship.established': (p: EventMap['relationship.established']) => ({ objectId: `${p.customerId}|${p.partnerId}`, partnerIds: partners(p.partnerId) }),
  'relationship.revoked': (p: EventMap['relationship.revoked']) => ({ objectId: `${p.customerId}|${p.partnerId}`, partnerIds: partners(p.partnerId) }),
} satisfies Partial<Record<EventType, (payload: never) => Owners>>;
export type WebhookEventType = keyof typeof WEBHOOK_EVENTS;

/**
 * Names the contract's examples use, mapped to the platform's event types (stored as those):
 * provisioning failing is `subscription.failed`, a ticket's update any of its changes.
 */
export const EVENT_ALIASES: Record<string, string[]> = {
  'provisioning.failed': ['subscription.failed'],
  'budget.threshold_crossed': ['budget.thresholdCrossed'],
  'ticket.updated': ['ticket.firstResponded', 'ticket.statusChanged', 'ticket.slaBreached'],
};

/** The synthetic type of sendTestWebhook's deliveries (any endpoint receives it). */
export const TEST_EVENT = 'webhook.test';

export const ownersOf = (type: string, payload: unknown): Owners | undefined => (WEBHOOK_EVENTS as Record<string, (payload: never) => Owners>)[type]?.(payload as never);
