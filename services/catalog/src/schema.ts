import { buildSubgraph } from '@csp/kernel';
import type { GraphQLSchema } from 'graphql';
import { MarketResolver } from './markets/market.resolver';

/** The catalog subgraph schema; pure (no stores), so composition can print it offline. */
export function buildCatalogSchema(): Promise<GraphQLSchema> {
  return buildSubgraph({ resolvers: [MarketResolver] });
}
