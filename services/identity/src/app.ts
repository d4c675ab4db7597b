import { createTokenVerifier, projectorFor, startSubgraphService, startSweeper, type RunningSubgraph } from '@csp/kernel';
import { route, routedTo, type HandlerMap } from '@csp/events';
import { identityProcess, type identityEnv } from './config';
import type { IdentityContext } from './context';
import { undoUnfinishedCreations } from './creations/undo-unfinished';
import { buildDeps, type IdentityDeps } from './deps';
import { marketHandlers } from './markets/market.handlers';
import { opsHandlers } from './platform/ops-handlers';
import { webhookHandlers } from './webhooks/webhook.handlers';
import { identityLoaders } from './loaders';
import { buildIdentitySchema } from './schema';

export const JWKS_PATH = '/.well-known/jwks.json';
/** A creation older than this on the platform clock died (a live one takes well under a second). */
const CREATION_GRACE_MS = 2 * 60_000;
const CREATION_SWEEP_MS = 60_000;

/** Starts the identity subgraph: in its own process (index.ts) or in-process in tests. */
export function startIdentity(env: NodeJS.ProcessEnv = process.env, embedded = false): Promise<RunningSubgraph<IdentityDeps>> {
  const port = env.PORT ?? '4001';
  const host = env.HOST ?? '127.0.0.1';
  // Identity serves the JWKS itself; other processes point JWKS_URL here.
  const withDefaults = { JWKS_URL: `http://${host}:${port}${JWKS_PATH}`, ...env };
  return startSubgraphService<IdentityContext, IdentityDeps, typeof identityEnv>({
    runtime: { ...identityProcess, env: withDefaults, embedded },
    deps: buildDeps,
    schema: buildIdentitySchema,
    context: (base, deps) => ({ ...base, deps, loaders: identityLoaders(deps, base.caller) }),
    outboxModels: (deps) => [deps.partners, deps.customers, deps.relationships, deps.resellerLinks, deps.groups, deps.users, deps.webhookModels.endpoints],
    // Catalog's markets, kept as a local read model (queue events-identity); events forwarded to webhooks.
    consumes: routedTo('identity'),
    handlers: (deps, rt) => ({ ...marketHandlers(deps.markets, projectorFor(rt)), ...opsHandlers(deps.ops.auditLog), ...webhookHandlers(deps.webhooks) }) satisfies HandlerMap<'identity'>,
    route,
    // Half-done customer and partner creations of dead requests are undone (their admins never sign in).
    sweepers: (deps, rt) => [
      startSweeper({
        name: 'creation sweep',
        clock: rt.clock,
        logger: rt.logger,
        everyMs: CREATION_SWEEP_MS,
        sweep: async () => {
          const done = await undoUnfinishedCreations(deps, new Date(rt.clock.now().getTime() - CREATION_GRACE_MS));
          if (done.undone || done.completed) rt.logger.warn(done, 'unfinished tenant creations undone or completed');
        },
      }),
    ],
    // Verify with our own keys: no HTTP round trip to ourselves.
    verify: (rt, deps) =>
      createTokenVerifier({ jwks: (header, token) => deps.keys.verifyKey(header, token), issuer: rt.config.JWT_ISSUER, audience: rt.config.JWT_AUDIENCE }),
    routes: (rt, deps) => {
      rt.app.get(JWKS_PATH, async (_req, res) => {
        res.setHeader('Cache-Control', 'public, max-age=300');
        res.json(await deps.keys.jwks());
      });
    },
  });
}
