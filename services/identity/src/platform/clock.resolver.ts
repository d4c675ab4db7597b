import { authorize, badInput, ClockError, forbidden, requireOperator, tag, PUBLIC_TAG } from '@csp/kernel';
import { Arg, Ctx, Mutation, Query, Resolver, Directive } from 'type-graphql';
import type { IdentityContext } from '../context';
import { ClockState } from './clock.type';

/**
 * The platform clock lives in the kernel (offset in Redis, shared by every process); identity
 * serves it in the graph because the operator's platform controls live here.
 */
@Resolver()
export class ClockResolver {
  @Query(() => ClockState, { description: "The platform's current time. Public." })
  @Directive(tag(PUBLIC_TAG))
  clock(@Ctx() ctx: IdentityContext): ClockState {
    return state(ctx);
  }

  @Mutation(() => ClockState, {
    description: 'Operator only, with TEST_CLOCK=enabled: move the clock forward for every service and worker.',
  })
  async advanceClock(@Arg('to') to: Date, @Ctx() ctx: IdentityContext): Promise<ClockState> {
    authorize(ctx, 'advanceClock');
    requireOperator(ctx);
    const { clock, production } = ctx.deps;
    if (!clock.testClock || production) {
      throw forbidden('The test clock is off: it needs TEST_CLOCK=enabled and is never available in production.');
    }
    try {
      await clock.advance(to);
    } catch (err) {
      if (err instanceof ClockError) throw badInput(err.message, 'to');
      throw err;
    }
    return state(ctx);
  }
}

function state(ctx: IdentityContext): ClockState {
  return Object.assign(new ClockState(), { now: ctx.deps.clock.now(), testClock: ctx.deps.clock.testClock });
}
