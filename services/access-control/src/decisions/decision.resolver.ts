import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { requireCaller } from '@csp/kernel';
import type { AccessControlContext } from '../context';
import { AccessDecision } from './decision.type';

@Resolver()
export class DecisionResolver {
  @Query(() => AccessDecision, { description: 'May the caller perform `action` on `scope`?' })
  async checkAccess(@Arg('scope') _scope: string, @Arg('action') _action: string, @Ctx() ctx: AccessControlContext): Promise<AccessDecision> {
    requireCaller(ctx);
    return Object.assign(new AccessDecision(), { allowed: false, reason: 'No role assignment grants this action.' });
  }
}
