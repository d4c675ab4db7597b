import { projectorFor, startSubgraphService, type RunningSubgraph } from '@csp/kernel';
import { route, routedTo, type HandlerMap } from '@csp/events';
import { activityHandlers } from './activity/activity.handlers';
import { supportProcess, type supportEnv } from './config';
import type { SupportContext } from './context';
import { buildDeps, type SupportDeps } from './deps';
import { directoryHandlers } from './directory/directory.handlers';
import { supportLoaders } from './loaders';
import { buildSupportSchema } from './schema';
import { startSlaSweeper } from './sla/sla-sweeper';

/** Starts the support subgraph: in its own process (index.ts) or in-process in tests. */
export async function startSupport(env: NodeJS.ProcessEnv = process.env, embedded = false): Promise<RunningSubgraph<SupportDeps>> {
  return startSubgraphService<SupportContext, SupportDeps, typeof supportEnv>({
    runtime: { ...supportProcess, env, embedded },
    deps: buildDeps,
    schema: buildSupportSchema,
    context: (base, deps) => ({ ...base, deps, loaders: supportLoaders(deps, base.caller) }),
    outboxModels: (deps) => [deps.models.tickets, deps.models.breaches],
    route,
    // Identity's and subscription's facts feed the read models; support's own events the activity.
    consumes: routedTo('support'),
    handlers: (deps, rt) => ({ ...directoryHandlers(deps, projectorFor(rt)), ...activityHandlers(deps.models.activity) }) satisfies HandlerMap<'support'>,
    // Targets follow the platform clock; no separate worker: every replica sweeps, claims dedupe.
    sweepers: (deps) => [startSlaSweeper(deps, deps.settings.SUPPORT_SLA_POLL_MS)],
  });
}
