import { buildSubgraph } from '@csp/kernel';
import type { GraphQLSchema } from 'graphql';
import { AssignmentResolver } from './assignments/assignment.resolver';
import { CloudSubscriptionRef, SubscriptionAssignmentsResolver } from './assignments/subscription-assignments.resolver';
import { DecisionResolver } from './decisions/decision.resolver';
import { AdminRelationshipResolver } from './gdap/admin-relationship.resolver';
import { RoleResolver } from './roles/role.resolver';

/** The access-control subgraph schema; pure (no stores), so composition can print it offline. */
export function buildAccessControlSchema(): Promise<GraphQLSchema> {
  return buildSubgraph(
    {
      resolvers: [DecisionResolver, AssignmentResolver, SubscriptionAssignmentsResolver, AdminRelationshipResolver, RoleResolver],
      orphanedTypes: [CloudSubscriptionRef],
    },
    {
      // Any subscription id resolves; its roleAssignments field checks existence and rights.
      CloudSubscription: { __resolveReference: (ref: { id: string }) => CloudSubscriptionRef.of(ref.id) },
    },
  );
}
