import { requireCaller, notFound, tag, SIGN_IN_TAG } from '@csp/kernel';
import { Arg, Ctx, Mutation, Query, Resolver, Directive } from 'type-graphql';
import type { IdentityContext } from '../context';
import { toUser, User } from '../users/user.type';
import { LoginPayload } from './login.type';

@Resolver()
export class AuthResolver {
  @Mutation(() => LoginPayload, { description: 'Exchange email and password for a bearer token.' })
  @Directive(tag(SIGN_IN_TAG))
  async login(@Arg('email') email: string, @Arg('password') password: string, @Ctx() ctx: IdentityContext): Promise<LoginPayload> {
    const { token, expiresAt, user } = await ctx.deps.auth.login(email, password, ctx.clientAddress);
    return Object.assign(new LoginPayload(), { accessToken: token, expiresAt, viewer: toUser(user) });
  }

  @Query(() => User, { description: 'The signed-in caller.' })
  async me(@Ctx() ctx: IdentityContext): Promise<User> {
    const caller = requireCaller(ctx);
    const user = await ctx.deps.users.findById(caller.userId).lean();
    if (!user) throw notFound('User', caller.userId);
    return toUser(user);
  }
}
