import { route, routedTo, type HandlerMap } from '@csp/events';
import { projectorFor, startSubgraphService, startSweeper, type RunningSubgraph } from '@csp/kernel';
import { subscriptionProcess, type subscriptionEnv } from './config';
import type { SubscriptionContext } from './context';
import { buildDeps, type SubscriptionDeps } from './deps';
import { readModelHandlers } from './readmodel/readmodel.handlers';
import { subscriptionLoaders } from './loaders';
import { buildSubscriptionSchema } from './schema';

/** How often the order sweep runs, and how old an unfinished order must be (a live request finishes in milliseconds). */
const ORDER_SWEEP_MS = 30_000;
const ORDER_GRACE_MS = 10_000;

/** Starts the subscription subgraph: in its own process (index.ts) or in-process in tests. */
export function startSubscription(env: NodeJS.ProcessEnv = process.env, embedded = false): Promise<RunningSubgraph<SubscriptionDeps>> {
  return startSubgraphService<SubscriptionContext, SubscriptionDeps, typeof subscriptionEnv>({
    runtime: { ...subscriptionProcess, env, embedded },
    deps: buildDeps,
    schema: buildSubscriptionSchema,
    context: (base, deps) => ({ ...base, deps, loaders: subscriptionLoaders(deps, base.caller) }),
    outboxModels: (deps) => [deps.models.subscriptions, deps.models.usageBatches],
    route,
    consumes: routedTo('subscription'),
    handlers: (deps, rt) => readModelHandlers(deps.rm, projectorFor(rt)) satisfies HandlerMap<'subscription'>,
    // Orders a dead request left half set up, and provisioning jobs a lost Redis took, finish by themselves.
    sweepers: (deps, rt) => [
      startSweeper({
        name: 'order sweep',
        clock: rt.clock,
        logger: rt.logger,
        everyMs: ORDER_SWEEP_MS,
        sweep: async () => {
          const done = await deps.orders.sweep(new Date(rt.clock.now().getTime() - ORDER_GRACE_MS));
          if (done.orders || done.jobs) rt.logger.warn(done, 'interrupted orders finished, lost provisioning jobs enqueued again');
        },
      }),
    ],
  });
}
