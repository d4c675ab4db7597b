import { route, routedTo, type HandlerMap } from '@csp/events';
import { projectorFor, startSubgraphService, type RunningSubgraph } from '@csp/kernel';
import { billingProcess, type billingEnv } from './config';
import type { BillingContext } from './context';
import { buildDeps, type BillingDeps } from './deps';
import { billingHandlers } from './directory/event-handlers';
import { invalidatingCaches } from './cache/catalog-cache';
import { billingLoaders } from './loaders';
import { buildBillingSchema } from './schema';

/** Starts the billing subgraph: in its own process (index.ts) or in-process in tests. */
export function startBilling(env: NodeJS.ProcessEnv = process.env, embedded = false): Promise<RunningSubgraph<BillingDeps>> {
  return startSubgraphService<BillingContext, BillingDeps, typeof billingEnv>({
    runtime: { ...billingProcess, env, embedded },
    deps: buildDeps,
    schema: buildBillingSchema,
    context: (base, deps) => ({ ...base, deps, loaders: billingLoaders(deps, base.caller) }),
    // The worker issues invoices and raises budget alerts; this process relays their events, and
    // one-off charges carry their customerCharge.added event in an embedded outbox.
    outboxModels: (deps) => [deps.models.invoiceFacts, deps.models.customerCharges, deps.models.budgetAlerts],
    route,
    // Read models are fed here; the worker process only invoices.
    consumes: routedTo('billing'),
    handlers: (deps, rt) => invalidatingCaches(billingHandlers(deps, rt.logger, projectorFor(rt)) satisfies HandlerMap<'billing'>, deps.caches),
  });
}
