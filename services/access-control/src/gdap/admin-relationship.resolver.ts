import { authorize, requireCaller, requirePartnerUser } from '@csp/kernel';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { AccessControlContext } from '../context';
import {
  AdminRelationship,
  AdminRelationshipPayload,
  AssignAdminAccessPayload,
  toAdminAccess,
  toAdminRelationship,
} from './admin-relationship.type';

@Resolver()
export class AdminRelationshipResolver {
  @Mutation(() => AdminRelationshipPayload, {
    description: 'A partner with a relationship to the customer asks for delegated admin rights (GDAP); APPROVAL_PENDING until the customer approves.',
  })
  async requestAdminRelationship(
    @Arg('customerId', () => ID) customerId: string,
    @Arg('duration', { description: 'ISO 8601, P1D to P2Y.' }) duration: string,
    @Arg('roles', () => [String]) roles: string[],
    @Ctx() ctx: AccessControlContext,
  ): Promise<AdminRelationshipPayload> {
    authorize(ctx, 'requestAdminRelationship');
    const doc = await ctx.deps.gdap.request(requirePartnerUser(ctx), customerId, duration, roles);
    return payload(doc, ctx);
  }

  @Mutation(() => AdminRelationshipPayload, { description: "The customer's admin approves; endsAt = approval time + duration." })
  async approveAdminRelationship(@Arg('id', () => ID) id: string, @Ctx() ctx: AccessControlContext): Promise<AdminRelationshipPayload> {
    authorize(ctx, 'approveAdminRelationship');
    return payload(await ctx.deps.gdap.approve(requireCaller(ctx), id), ctx);
  }

  @Mutation(() => AssignAdminAccessPayload, { description: 'The partner maps one of its security groups to roles within an ACTIVE relationship.' })
  async assignAdminAccess(
    @Arg('relationshipId', () => ID) relationshipId: string,
    @Arg('groupId', () => ID) groupId: string,
    @Arg('roles', () => [String]) roles: string[],
    @Ctx() ctx: AccessControlContext,
  ): Promise<AssignAdminAccessPayload> {
    authorize(ctx, 'assignAdminAccess');
    const doc = await ctx.deps.gdap.assignAccess(requirePartnerUser(ctx), relationshipId, groupId, roles);
    return Object.assign(new AssignAdminAccessPayload(), { assignment: toAdminAccess(doc) });
  }

  @Mutation(() => AdminRelationshipPayload, { description: 'Either party ends the relationship; it grants nothing afterwards.' })
  async terminateAdminRelationship(@Arg('id', () => ID) id: string, @Ctx() ctx: AccessControlContext): Promise<AdminRelationshipPayload> {
    authorize(ctx, 'terminateAdminRelationship');
    return payload(await ctx.deps.gdap.terminate(requireCaller(ctx), id), ctx);
  }

  @Query(() => AdminRelationship, { description: 'One admin relationship of the caller\'s partner or customer (the operator reads all).' })
  async adminRelationship(@Arg('id', () => ID) id: string, @Ctx() ctx: AccessControlContext): Promise<AdminRelationship> {
    authorize(ctx, 'adminRelationship');
    return toAdminRelationship(await ctx.deps.gdap.get(requireCaller(ctx), id), ctx.deps.clock.now());
  }
}

function payload(doc: Parameters<typeof toAdminRelationship>[0], ctx: AccessControlContext): AdminRelationshipPayload {
  return Object.assign(new AdminRelationshipPayload(), { relationship: toAdminRelationship(doc, ctx.deps.clock.now()) });
}
