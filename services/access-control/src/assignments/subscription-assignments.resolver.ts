import { entityRef } from '@csp/kernel';
import { FieldResolver, Resolver, Root, Ctx } from 'type-graphql';
import type { AccessControlContext } from '../context';
import { RoleAssignment } from './assignment.type';

/** The subscription subgraph's entity, extended here with who holds which role on it. */
export const CloudSubscriptionRef = entityRef('CloudSubscription', { resolvable: true });
export type CloudSubscriptionRef = InstanceType<typeof CloudSubscriptionRef>;

@Resolver(() => CloudSubscriptionRef)
export class SubscriptionAssignmentsResolver {
  // From another subgraph than the entity's: nullable, so a slow or down service costs only these fields (SERVICE_UNAVAILABLE), not the whole object.
  @FieldResolver(() => [RoleAssignment], {
    nullable: true,
    description: 'Role assignments on this subscription, its services and inherited from its customer; empty unless the caller may read them.',
  })
  roleAssignments(@Root() sub: CloudSubscriptionRef, @Ctx() ctx: AccessControlContext): Promise<RoleAssignment[]> {
    return ctx.loaders.subscriptionAssignments.load(sub.id);
  }
}
