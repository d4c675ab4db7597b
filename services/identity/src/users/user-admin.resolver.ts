import { authorize, forbidden, payload } from '@csp/kernel';
import { Arg, Ctx, Field, ID, InputType, Mutation, Resolver } from 'type-graphql';
import type { IdentityContext } from '../context';
import { parseRoles, tenantOf } from './staff-roles';
import { checkPassword, normalizeEmail } from './user-accounts';
import { toUser, User } from './user.type';

@InputType()
export class CreateUserInput {
  @Field() email!: string;
  @Field({ description: 'At least 10 characters.' }) password!: string;
  @Field(() => [String], { nullable: true, description: 'Staff roles; default partner SALES_AGENT, customer USER.' }) roles?: string[] | null;
}

export const CreateUserPayload = payload('CreateUserPayload', 'user', User);
export type CreateUserPayload = InstanceType<typeof CreateUserPayload>;
export const SetUserRolesPayload = payload('SetUserRolesPayload', 'user', User);
export type SetUserRolesPayload = InstanceType<typeof SetUserRolesPayload>;

@Resolver()
export class UserAdminResolver {
  @Mutation(() => CreateUserPayload, { description: "A partner's or customer's ADMIN adds a user (with staff roles) to its own partner or tenant." })
  async createUser(@Arg('input') input: CreateUserInput, @Ctx() ctx: IdentityContext): Promise<CreateUserPayload> {
    const caller = authorize(ctx, 'createUser');
    const tenant = tenantOf(caller);
    if (!tenant) throw forbidden("Only a partner's or customer's ADMIN adds users.");
    const email = normalizeEmail(input.email, 'email');
    checkPassword(input.password, 'password');
    const roles = input.roles ? parseRoles(tenant.kind, input.roles) : undefined;
    const user = await ctx.deps.accounts.create({ email, password: input.password, ...tenant, roles, admin: roles?.includes('ADMIN') });
    return Object.assign(new CreateUserPayload(), { user: toUser(user) });
  }

  @Mutation(() => SetUserRolesPayload, {
    description: "A tenant's ADMIN sets the staff roles of another user of its partner or tenant (the whole set). Your own: FORBIDDEN; another tenant's user: NOT_FOUND.",
  })
  async setUserRoles(
    @Arg('userId', () => ID) userId: string,
    @Arg('roles', () => [String]) roles: string[],
    @Ctx() ctx: IdentityContext,
  ): Promise<SetUserRolesPayload> {
    const caller = authorize(ctx, 'setUserRoles');
    const user = await ctx.deps.staff.setRoles(caller, userId, roles);
    return Object.assign(new SetUserRolesPayload(), { user: toUser(user) });
  }
}
