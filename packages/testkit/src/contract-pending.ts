/**
 * Contract operations the composed graph does not serve yet. This list only shrinks: each
 * domain issue removes its operations when they run through the gateway as their comments say.
 */
export const PENDING_OPERATIONS: readonly string[] = [
  // auth.graphql / partners.graphql / customers.graphql (identity)
  'CustomerOverview',
  // orders.graphql
  'PlaceOrder', 'Subscription', 'UpdateSubscription', 'SuspendSubscription', 'ReactivateSubscription',
  'CancelSubscription', 'CreateService', 'StartService', 'StopService', 'SubscriptionServices',
];
