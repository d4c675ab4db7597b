import { buildSubgraph } from '@csp/kernel';
import type { GraphQLSchema } from 'graphql';
import { SubscriptionResolver } from './subscriptions/subscription.resolver';

/** The subscription subgraph schema; pure (no stores), so composition can print it offline. */
export function buildSubscriptionSchema(): Promise<GraphQLSchema> {
  return buildSubgraph({ resolvers: [SubscriptionResolver] });
}
