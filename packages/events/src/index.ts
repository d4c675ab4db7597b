import type { CatalogEvents } from './catalog';
import type { IdentityEvents } from './identity';
import type { OpsEvents } from './ops';
import type { SubscriptionEvents } from './subscription';

export * from './catalog';
export * from './identity';
export * from './ops';
export * from './subscription';

/** Every event type in the platform with its payload: the one shared contract. */
export type EventMap = IdentityEvents & CatalogEvents & SubscriptionEvents & OpsEvents;
export type EventType = keyof EventMap;

export type Consumer = 'identity' | 'catalog' | 'subscription' | 'access-control' | 'billing' | 'test';

/**
 * Who consumes what: one BullMQ queue per consuming service. An event type missing here is a
 * compile error, so a new event cannot be published to nobody by accident.
 */
export const routes: Record<EventType, readonly Consumer[]> = {
  'partner.onboarded': ['subscription', 'access-control', 'billing'],
  'reseller.linked': ['subscription', 'access-control', 'billing'],
  'customer.created': ['subscription', 'access-control', 'billing'],
  'relationship.established': ['subscription', 'access-control', 'billing'],
  'relationship.revoked': ['subscription', 'access-control', 'billing'],
  'group.membershipChanged': ['access-control'],
  'user.rolesChanged': ['access-control'],
  'market.upserted': ['identity', 'subscription', 'billing'],
  'offer.published': ['subscription', 'billing'],
  'offer.availabilityChanged': ['subscription'],
  'rateCard.published': ['billing', 'subscription'],
  'subscription.created': ['billing', 'access-control'],
  'subscription.activated': ['billing', 'access-control'],
  'subscription.quantityChanged': ['billing'],
  'subscription.suspended': ['billing'],
  'subscription.reactivated': ['billing'],
  'subscription.cancelled': ['billing', 'access-control'],
  'subscription.failed': ['billing'],
  'service.started': ['billing'],
  'service.stopped': ['billing'],
  'usage.reported': ['billing'],
  'audit.recorded': ['identity'],
};

export const route = (type: string): readonly Consumer[] => routes[type as EventType] ?? [];

import { envelope, type Clock, type Envelope } from '@csp/kernel';

/** A typed event envelope, ready to put in a document's outbox. */
export function event<K extends EventType>(type: K, payload: EventMap[K], clock: Clock, id?: string): Envelope<EventMap[K]> {
  return envelope(type, payload, clock, id);
}
