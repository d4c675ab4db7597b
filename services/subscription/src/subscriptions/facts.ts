import { scopes } from '@csp/access-client';
import type { SubscriptionFacts } from '@csp/events';
import type { SubscriptionDoc } from './subscription.model';

/** The facts every subscription event carries, as billing and access-control read them. */
export function factsOf(s: SubscriptionDoc, at: Date): SubscriptionFacts {
  return {
    subscriptionId: s._id,
    customerId: s.customerId,
    partnerId: s.partnerId,
    ...(s.resellerId ? { resellerId: s.resellerId } : {}),
    offerId: s.offerId,
    billingType: s.billingType,
    quantity: s.quantity,
    market: s.market,
    at: at.toISOString(),
  };
}

export const subscriptionScope = (s: Pick<SubscriptionDoc, '_id' | 'customerId'>) => scopes.subscription(s.customerId, s._id);
export const serviceScope = (s: Pick<SubscriptionDoc, '_id' | 'customerId'>, name: string) => scopes.service(s.customerId, s._id, name);
