import { route, routedTo, type HandlerMap } from '@csp/events';
import { projectorFor, startSubgraphService, type RunningSubgraph } from '@csp/kernel';
import { mountOwnerGrantEndpoint } from './assignments/owner-grant-endpoint';
import { accessControlProcess, type accessControlEnv } from './config';
import type { AccessControlContext } from './context';
import { mountAuthorizeEndpoint } from './decisions/authorize-endpoint';
import { buildDeps, type AccessControlDeps } from './deps';
import { directoryHandlers } from './directory/directory.handlers';
import { accessControlLoaders } from './loaders';
import { buildAccessControlSchema } from './schema';

/** Starts the access-control subgraph: in its own process (index.ts) or in-process in tests. */
export function startAccessControl(env: NodeJS.ProcessEnv = process.env, embedded = false): Promise<RunningSubgraph<AccessControlDeps>> {
  return startSubgraphService<AccessControlContext, AccessControlDeps, typeof accessControlEnv>({
    runtime: { ...accessControlProcess, env, embedded },
    deps: buildDeps,
    schema: buildAccessControlSchema,
    context: (base, deps) => ({ ...base, deps, loaders: accessControlLoaders(deps, base.caller) }),
    // Identity's and subscription's facts feed the read models decisions use (queue events-access-control).
    // The service's own audit trail carries each mutation's graph-wide record (audit.model.ts).
    outboxModels: (deps) => [deps.models.audit],
    route,
    consumes: routedTo('access-control'),
    handlers: (deps, rt) => directoryHandlers(deps.directory, deps.assignments, deps.decisions, projectorFor(rt), deps.ownerGrant) satisfies HandlerMap<'access-control'>,
    routes: (rt, deps, { awaitWrites }) => {
      mountAuthorizeEndpoint(rt.app, rt.verify, deps.decisions, awaitWrites);
      mountOwnerGrantEndpoint(rt.app, deps.assignments, deps.ownerGrant, deps.settings.OWNER_GRANT_WAIT_MS);
    },
  });
}
