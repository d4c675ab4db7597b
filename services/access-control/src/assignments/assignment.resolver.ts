import { authorize, requireCaller } from '@csp/kernel';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { AccessControlContext } from '../context';
import { GrantRoleInput, GrantRolePayload, RevokeRolePayload, RoleAssignment, toAssignment } from './assignment.type';

@Resolver()
export class AssignmentResolver {
  @Mutation(() => GrantRolePayload, {
    description: 'Only an Owner of the scope (or above it) may grant. Granting the same role twice returns the existing assignment.',
  })
  async grantRole(@Arg('input') input: GrantRoleInput, @Ctx() ctx: AccessControlContext): Promise<GrantRolePayload> {
    authorize(ctx, 'grantRole');
    const { doc, warnings } = await ctx.deps.assignments.grant(requireCaller(ctx), input);
    return Object.assign(new GrantRolePayload(), { assignment: toAssignment(doc), warnings });
  }

  @Mutation(() => RevokeRolePayload, { description: 'Only an Owner of the scope (or above it) may revoke; takes effect for the next request.' })
  async revokeRole(@Arg('assignmentId', () => ID) assignmentId: string, @Ctx() ctx: AccessControlContext): Promise<RevokeRolePayload> {
    authorize(ctx, 'revokeRole');
    const doc = await ctx.deps.assignments.revoke(requireCaller(ctx), assignmentId);
    return Object.assign(new RevokeRolePayload(), { assignment: toAssignment(doc) });
  }

  @Query(() => [RoleAssignment], {
    description: 'Assignments that apply at the scope (on it or inherited from above) and those below it; needs roleAssignments/read there.',
  })
  async roleAssignments(@Arg('scope') scope: string, @Ctx() ctx: AccessControlContext): Promise<RoleAssignment[]> {
    authorize(ctx, 'roleAssignments');
    return (await ctx.deps.assignments.list(requireCaller(ctx), scope)).map(toAssignment);
  }
}
