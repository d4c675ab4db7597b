import { buildSubgraph } from '@csp/kernel';
import type { GraphQLSchema } from 'graphql';
import { DecisionResolver } from './decisions/decision.resolver';

/** The access-control subgraph schema; pure (no stores), so composition can print it offline. */
export function buildAccessControlSchema(): Promise<GraphQLSchema> {
  return buildSubgraph({ resolvers: [DecisionResolver] });
}
