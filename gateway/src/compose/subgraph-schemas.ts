import type { SubgraphName } from '@csp/kernel';
import type { GraphQLSchema } from 'graphql';
import { buildAccessControlSchema } from '@csp/svc-access-control/dist/schema';
import { buildBillingSchema } from '@csp/svc-billing/dist/schema';
import { buildCatalogSchema } from '@csp/svc-catalog/dist/schema';
import { buildIdentitySchema } from '@csp/svc-identity/dist/schema';
import { buildSubscriptionSchema } from '@csp/svc-subscription/dist/schema';
import { buildSupportSchema } from '@csp/svc-support/dist/schema';

/** Each subgraph's schema, built without stores: composition runs offline at build time. */
export const subgraphSchemas: Record<SubgraphName, () => Promise<GraphQLSchema>> = {
  identity: buildIdentitySchema,
  catalog: buildCatalogSchema,
  subscription: buildSubscriptionSchema,
  'access-control': buildAccessControlSchema,
  billing: buildBillingSchema,
  support: buildSupportSchema,
};
