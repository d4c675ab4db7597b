import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { requireCaller } from '@csp/kernel';
import type { AccessControlContext } from '../context';
import { parseScope } from '../scopes/scope';
import { AccessDecision } from './decision.type';

@Resolver()
export class DecisionResolver {
  @Query(() => AccessDecision, { description: 'May the caller perform `action` on `scope`? The reason names the assignment or relationship, or what is missing.' })
  async checkAccess(@Arg('scope') scope: string, @Arg('action') action: string, @Ctx() ctx: AccessControlContext): Promise<AccessDecision> {
    const caller = requireCaller(ctx);
    const d = await ctx.deps.decisions.decide(caller, { scope: parseScope(scope), action });
    return Object.assign(new AccessDecision(), { allowed: d.allowed, reason: d.reason });
  }
}
