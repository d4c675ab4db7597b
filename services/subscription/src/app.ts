import { startSubgraphService, type RunningSubgraph } from '@csp/kernel';
import type { SubscriptionContext } from './context';
import { buildDeps, type SubscriptionDeps } from './deps';
import { buildSubscriptionSchema } from './schema';

/** Starts the subscription subgraph: in its own process (index.ts) or in-process in tests. */
export function startSubscription(env: NodeJS.ProcessEnv = process.env, embedded = false): Promise<RunningSubgraph<SubscriptionDeps>> {
  return startSubgraphService<SubscriptionContext, SubscriptionDeps>({
    runtime: { name: 'subscription', defaultPort: 4003, defaultDb: 'csp_subscription', env, embedded },
    deps: buildDeps,
    schema: buildSubscriptionSchema,
    context: (base, deps) => ({ ...base, deps }),
  });
}
