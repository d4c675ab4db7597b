import { authorize, badInput, forbidden, requireCaller, type Caller } from '@csp/kernel';
import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { SupportContext } from '../context';
import { isSupportStaff, isTenantAdmin } from '../tickets/roles';
import { VENDOR } from '../tickets/ticket.model';
import { TARGET_MAX_MINUTES, TARGET_MIN_MINUTES } from './targets';
import { SupportTarget, SupportTargetInput } from './targets.type';

/** The queue a caller configures: its partner's (support staff read, ADMIN sets) or the vendor's (operator). */
function queueOf(caller: Caller, write: boolean): string {
  if (caller.kind === 'OPERATOR') return VENDOR;
  if (isSupportStaff(caller) && (!write || isTenantAdmin(caller))) return caller.partnerId;
  throw forbidden(write ? 'Only a partner ADMIN (or the operator, for the vendor) sets support targets.' : 'Only support staff read their partner\'s support targets.');
}

@Resolver()
export class TargetsResolver {
  @Query(() => [SupportTarget], { description: 'Your queue\'s first-response and resolution targets per severity (defaults where none are set).' })
  async supportTargets(@Ctx() ctx: SupportContext): Promise<SupportTarget[]> {
    authorize(ctx, 'supportTargets');
    const all = await ctx.deps.targets.all(queueOf(requireCaller(ctx), false));
    return Object.entries(all).map(([severity, t]) => Object.assign(new SupportTarget(), { severity, ...t }));
  }

  @Mutation(() => [SupportTarget], { description: 'Sets your queue\'s targets for one severity; tickets opened afterwards follow them.' })
  async setSupportTargets(@Arg('input', () => SupportTargetInput) input: SupportTargetInput, @Ctx() ctx: SupportContext): Promise<SupportTarget[]> {
    authorize(ctx, 'setSupportTargets');
    const key = queueOf(requireCaller(ctx), true);
    for (const f of ['firstResponseMinutes', 'resolutionMinutes'] as const) {
      const v = input[f];
      if (!Number.isInteger(v) || v < TARGET_MIN_MINUTES || v > TARGET_MAX_MINUTES) throw badInput(`${f} must be between ${TARGET_MIN_MINUTES} and ${TARGET_MAX_MINUTES} minutes.`, f);
    }
    if (input.resolutionMinutes < input.firstResponseMinutes) throw badInput('resolutionMinutes must not be less than firstResponseMinutes.', 'resolutionMinutes');
    await ctx.deps.targets.set(key, input.severity, { firstResponseMinutes: input.firstResponseMinutes, resolutionMinutes: input.resolutionMinutes }, ctx.deps.clock.now());
    const all = await ctx.deps.targets.all(key);
    return Object.entries(all).map(([severity, t]) => Object.assign(new SupportTarget(), { severity, ...t }));
  }
}
