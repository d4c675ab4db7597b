/** Events and commands the subscription service publishes. */
export interface SubscriptionFacts {
  subscriptionId: string;
  customerId: string;
  /** Billing partner of record (direct provider or distributor). */
  partnerId: string;
  /** Set when sold through an indirect reseller. */
  resellerId?: string;
  offerId: string;
  /** PARTNER: a partner's own offer (offerId is its partner offer), billed only by that partner. */
  billingType: 'USAGE' | 'LICENSE' | 'PARTNER';
  quantity: number;
  market: string;
  at: string;
}

export interface SubscriptionEvents {
  /**
   * adminAgentsGroupId: the partner's admin agents become OWNER at once. Ordering sets it on
   * every subscription (it is managed while provisioning, and it turns ACTIVE only once that
   * grant is in force); optional for facts published without a partner behind them.
   */
  'subscription.created': SubscriptionFacts & { adminAgentsGroupId?: string };
  'subscription.activated': SubscriptionFacts & { adminAgentsGroupId: string };
  'subscription.quantityChanged': SubscriptionFacts & { previousQuantity: number };
  'subscription.suspended': SubscriptionFacts & { reason: string };
  'subscription.reactivated': SubscriptionFacts;
  'subscription.cancelled': SubscriptionFacts;
  'subscription.failed': SubscriptionFacts & { reason: string };
  'service.started': { subscriptionId: string; name: string; meterId: string; at: string };
  'service.stopped': { subscriptionId: string; name: string; meterId: string; at: string };
  /**
   * Daily usage from the (simulated) vendor cloud, as its usage connector reports it; billing
   * ingests it exactly like `recordUsage` (idempotent on recordId).
   */
  'usage.reported': { records: UsageRecordFact[] };
}

export interface UsageRecordFact {
  recordId: string;
  subscriptionId: string;
  meterId: string;
  /** Exact decimal string. */
  quantity: string;
  /** YYYY-MM-DD */
  usageDate: string;
}
