import { forbidden, requireCaller } from '@csp/kernel';
import { Arg, Ctx, Field, InputType, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { IdentityContext } from '../context';
import { checkPassword, normalizeEmail } from './user-accounts';
import { toUser, User } from './user.type';

@InputType()
export class CreateUserInput {
  @Field() email!: string;
  @Field({ description: 'At least 10 characters.' }) password!: string;
}

@ObjectType()
export class CreateUserPayload {
  @Field(() => User) user!: User;
}

@Resolver()
export class UserAdminResolver {
  @Mutation(() => CreateUserPayload, { description: "A partner's or customer's admin adds a user to its own partner or tenant." })
  async createUser(@Arg('input') input: CreateUserInput, @Ctx() ctx: IdentityContext): Promise<CreateUserPayload> {
    const caller = requireCaller(ctx);
    const tenant =
      caller.kind === 'PARTNER_USER' && caller.partnerId
        ? { kind: 'PARTNER_USER' as const, partnerId: caller.partnerId }
        : caller.kind === 'CUSTOMER_USER' && caller.customerId
          ? { kind: 'CUSTOMER_USER' as const, customerId: caller.customerId }
          : null;
    const self = tenant ? await ctx.deps.users.findById(caller.userId, { admin: 1 }).lean() : null;
    if (!tenant || !self?.admin) throw forbidden("Only a partner's or customer's admin adds users.");
    const email = normalizeEmail(input.email, 'email');
    checkPassword(input.password, 'password');
    const user = await ctx.deps.accounts.create({ email, password: input.password, ...tenant });
    return Object.assign(new CreateUserPayload(), { user: toUser(user) });
  }
}
