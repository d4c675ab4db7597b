import { route, routedTo, type HandlerMap } from '@csp/events';
import { projectorFor, startSubgraphService, type RunningSubgraph } from '@csp/kernel';
import type { SubscriptionContext } from './context';
import { buildDeps, type SubscriptionDeps } from './deps';
import { readModelHandlers } from './readmodel/readmodel.handlers';
import { buildSubscriptionSchema, subscriptionLoaders } from './schema';

/** Starts the subscription subgraph: in its own process (index.ts) or in-process in tests. */
export function startSubscription(env: NodeJS.ProcessEnv = process.env, embedded = false): Promise<RunningSubgraph<SubscriptionDeps>> {
  return startSubgraphService<SubscriptionContext, SubscriptionDeps>({
    runtime: { name: 'subscription', defaultPort: 4003, defaultDb: 'csp_subscription', env, embedded },
    deps: (rt) => buildDeps(rt, env),
    schema: buildSubscriptionSchema,
    context: (base, deps) => ({ ...base, deps, loaders: subscriptionLoaders(deps) }),
    outboxModels: (deps) => [deps.models.subscriptions, deps.models.usageBatches],
    route,
    consumes: routedTo('subscription'),
    handlers: (deps, rt) => readModelHandlers(deps.rm, projectorFor(rt)) satisfies HandlerMap<'subscription'>,
  });
}
