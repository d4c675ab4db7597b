import { route, routedTo, type HandlerMap } from '@csp/events';
import { projectorFor, startSubgraphService, startSweeper, type RunningSubgraph } from '@csp/kernel';
import { billingProcess, type billingEnv } from './config';
import type { BillingContext } from './context';
import { buildDeps, type BillingDeps } from './deps';
import { billingHandlers } from './directory/event-handlers';
import { invalidatingCaches } from './cache/catalog-cache';
import { mountUsageStream } from './usage/usage-stream';
import { billingLoaders } from './loaders';
import { buildBillingSchema } from './schema';

const USAGE_FOLD_SWEEP_MS = 60_000;
/** A batch this old has finished inserting (or its process died): its rows are all there to fold. */
const USAGE_FOLD_GRACE_MS = 10 * 60_000;

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
    // Usage a dead ingestion left out of its month's totals (readers count it meanwhile).
    sweepers: (deps, rt) => [
      startSweeper({
        name: 'usage fold sweep',
        clock: rt.clock,
        logger: rt.logger,
        everyMs: USAGE_FOLD_SWEEP_MS,
        sweep: async () => {
          const rows = await deps.usageMonths.sweep(new Date(rt.clock.now().getTime() - USAGE_FOLD_GRACE_MS));
          if (rows) rt.logger.warn({ folds: rows }, 'usage batches a dead ingestion left pending folded into their totals');
        },
      }),
    ],
    // Bulk usage (the gateway's POST /usage/records streams its body here).
    routes: (rt, deps) => mountUsageStream(rt.app, { verify: rt.verify, batches: deps.usageBatches, logger: rt.logger, batchRows: deps.settings.BILLING_USAGE_STREAM_BATCH }),
    handlers: (deps, rt) => invalidatingCaches(billingHandlers(deps, rt.logger, projectorFor(rt)) satisfies HandlerMap<'billing'>, deps.caches),
  });
}
