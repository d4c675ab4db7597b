import { authorize, notFound, paginate, PageArgs, requireCaller } from '@csp/kernel';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { IdentityContext } from '../context';
import { User } from '../users/user.type';
import { seesCustomer, seesPartner } from '../visibility/visibility';
import { Connection } from '@csp/kernel';
import type { GroupDoc } from './group.model';
import { CreateSecurityGroupPayload, SecurityGroup, SecurityGroupPayload, toGroup } from './group.type';

const SecurityGroupConnection = Connection(SecurityGroup);

@Resolver(() => SecurityGroup)
export class GroupResolver {
  @Mutation(() => CreateSecurityGroupPayload, { description: "A partner's or customer's user groups its own users; another tenant's user is NOT_FOUND." })
  async createSecurityGroup(
    @Arg('name') name: string,
    @Arg('memberIds', () => [ID], { nullable: true }) memberIds: string[] | null | undefined,
    @Ctx() ctx: IdentityContext,
  ): Promise<CreateSecurityGroupPayload> {
    authorize(ctx, 'createSecurityGroup');
    const group = await ctx.deps.groupService.create(requireCaller(ctx), name, memberIds ?? []);
    return Object.assign(new CreateSecurityGroupPayload(), { group: toGroup(group) });
  }

  @Mutation(() => SecurityGroupPayload, { description: 'Adds users of the same partner or customer to one of its groups.' })
  async addSecurityGroupMembers(
    @Arg('groupId', () => ID) groupId: string,
    @Arg('memberIds', () => [ID]) memberIds: string[],
    @Ctx() ctx: IdentityContext,
  ): Promise<SecurityGroupPayload> {
    authorize(ctx, 'addSecurityGroupMembers');
    const group = await ctx.deps.groupService.changeMembers(requireCaller(ctx), groupId, { add: memberIds });
    return Object.assign(new SecurityGroupPayload(), { group: toGroup(group) });
  }

  @Mutation(() => SecurityGroupPayload, { description: 'Removes members from one of your groups.' })
  async removeSecurityGroupMembers(
    @Arg('groupId', () => ID) groupId: string,
    @Arg('memberIds', () => [ID]) memberIds: string[],
    @Ctx() ctx: IdentityContext,
  ): Promise<SecurityGroupPayload> {
    authorize(ctx, 'removeSecurityGroupMembers');
    const group = await ctx.deps.groupService.changeMembers(requireCaller(ctx), groupId, { remove: memberIds });
    return Object.assign(new SecurityGroupPayload(), { group: toGroup(group) });
  }

  @Query(() => SecurityGroupConnection, { description: "Your partner's or tenant's security groups (the operator: all)." })
  async securityGroups(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: IdentityContext) {
    authorize(ctx, 'securityGroups');
    const caller = requireCaller(ctx);
    const owner = caller.kind === 'OPERATOR' ? undefined : caller.kind === 'CUSTOMER_USER' ? caller.customerId : caller.partnerId;
    if (caller.kind !== 'OPERATOR' && !owner) throw notFound('Security groups');
    return paginate<GroupDoc, SecurityGroup>(ctx.deps.groups, owner ? { ownerId: owner } : {}, page, toGroup);
  }

  @FieldResolver(() => [User])
  async members(@Root() g: SecurityGroup, @Ctx() ctx: IdentityContext): Promise<User[]> {
    requireCaller(ctx);
    const view = await ctx.loaders.view();
    const visible = g.ownerKind === 'PARTNER' ? seesPartner(view, g.ownerId) : seesCustomer(view, g.ownerId);
    if (!visible) throw notFound('SecurityGroup', g.id);
    const users = await ctx.loaders.user.loadMany(g.memberIds);
    return users.filter((u): u is User => u instanceof User);
  }
}
