import { envelope, type Clock, type Envelope } from '@csp/kernel';
import type { BillingEvents, BudgetEvents } from './billing';
import type { CatalogEvents } from './catalog';
import type { IdentityEvents } from './identity';
import type { OpsEvents } from './ops';
import type { PartnerOfferEvents } from './partner-offers';
import type { SubscriptionEvents } from './subscription';
import type { SupportEvents } from './support';

export * from './billing';
export * from './catalog';
export * from './identity';
export * from './ops';
export * from './partner-offers';
export * from './subscription';
export * from './support';

/** Every event type in the platform with its payload: the one shared contract. */
export type EventMap = IdentityEvents & CatalogEvents & SubscriptionEvents & OpsEvents & SupportEvents & BillingEvents & PartnerOfferEvents & BudgetEvents;
export type EventType = keyof EventMap;

export type Consumer = 'identity' | 'catalog' | 'subscription' | 'access-control' | 'billing' | 'support' | 'test';

/**
 * Who consumes what: one BullMQ queue per consuming service. An event type missing here is a
 * compile error, so a new event cannot be published to nobody by accident.
 */
// 'identity' on subscription, invoice, budget, ticket and relationship events: webhooks (identity/src/webhooks).
export const routes = {
  'partner.onboarded': ['subscription', 'access-control', 'billing', 'support', 'catalog'],
  'reseller.linked': ['subscription', 'access-control', 'billing', 'support'],
  'customer.created': ['subscription', 'access-control', 'billing', 'support'],
  'relationship.established': ['subscription', 'access-control', 'billing', 'support', 'identity'],
  'relationship.revoked': ['subscription', 'access-control', 'billing', 'support', 'identity'],
  'group.membershipChanged': ['access-control'],
  'user.rolesChanged': ['access-control', 'support'],
  'market.upserted': ['identity', 'subscription'],
  'offer.published': ['subscription', 'billing'],
  'offer.availabilityChanged': ['subscription'],
  'rateCard.published': ['billing', 'subscription'],
  'subscription.created': ['billing', 'access-control', 'support'],
  'subscription.activated': ['billing', 'access-control', 'identity'],
  'subscription.quantityChanged': ['billing'],
  'subscription.suspended': ['billing', 'identity'],
  'subscription.reactivated': ['billing'],
  'subscription.cancelled': ['billing', 'access-control', 'identity'],
  'subscription.failed': ['billing', 'identity'],
  // Facts for the graph-wide record: a running service's usage reaches billing as usage.reported.
  'service.started': [],
  'service.stopped': [],
  'usage.reported': ['billing'],
  'audit.recorded': ['identity'],
  // Read by the owner in the graph (webhookEndpoint.enabled/disabledAt); no service consumes it yet.
  'webhook.endpointDisabled': [],
  // Support accepts only invoice references it can tell are the requester's own.
  'invoice.issued': ['support', 'identity'],
  // Support reads its own events back: each becomes a line of the ticket's activity, and an
  // escalation's status change one on the ticket it escalates (downstream sees it as an event).
  'ticket.opened': ['support', 'identity'],
  'ticket.firstResponded': ['support', 'identity'],
  'ticket.statusChanged': ['support', 'identity'],
  'ticket.escalated': ['support', 'identity'],
  'ticket.slaBreached': ['support', 'identity'],
  // Read in the graph (Customer.spendingBudget.alerts); identity's webhooks forward it to the partner.
  'budget.thresholdCrossed': ['identity'],
  // Value-added services (issue 19): ordering and billing keep their own copies of partner offers.
  'partnerOffer.published': ['subscription', 'billing'],
  'partnerOffer.priceChanged': ['subscription', 'billing'],
  'partnerOffer.retired': ['subscription'],
  // Facts for the graph-wide record (audit, webhooks); activation itself travels as subscription.activated.
  'subscription.fulfilled': [],
  'customerCharge.added': [],
} as const satisfies Record<EventType, readonly Consumer[]>;

export const route = (type: string): readonly Consumer[] => (routes as Record<string, readonly Consumer[]>)[type] ?? [];

/** The event types routed to one consumer's queue. */
export type RoutedTo<C extends Consumer> = { [K in EventType]: C extends (typeof routes)[K][number] ? K : never }[EventType];

/**
 * A consumer's handlers: exactly one for every event routed to it, typed by its payload. A routed
 * event without a handler (or a handler for an event that is not routed here) does not build.
 */
export type HandlerMap<C extends Consumer> = { [K in RoutedTo<C>]: (ev: Envelope<EventMap[K]>) => Promise<void> };

/** The same list at run time: the consumer refuses to start without a handler for each. */
export const routedTo = (consumer: Consumer): EventType[] =>
  (Object.keys(routes) as EventType[]).filter((t) => (routes[t] as readonly Consumer[]).includes(consumer));


/** A typed event envelope, ready to put in a document's outbox. */
export function event<K extends EventType>(type: K, payload: EventMap[K], clock: Clock, id?: string): Envelope<EventMap[K]> {
  return envelope(type, payload, clock, id);
}
