import { buildSubgraph } from '@csp/kernel';
import type { GraphQLSchema } from 'graphql';
import { InvoiceResolver } from './invoices/invoice.resolver';

/** The billing subgraph schema; pure (no stores), so composition can print it offline. */
export function buildBillingSchema(): Promise<GraphQLSchema> {
  return buildSubgraph({ resolvers: [InvoiceResolver] });
}
