import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import {
  AppError,
  createHttpHost,
  createLogger,
  closeRedis,
  createRedis,
  createTokenVerifier,
  enableQueueMetrics,
  currentRequestId,
  formatError,
  listen,
  metricsPlugin,
  parseConfig,
  queryLimits,
  ARMOR_LIMITS,
  pingRedis,
  redisKeys,
  serverUrl,
  Shutdown,
  SUBGRAPHS,
  subgraphUrlEnv,
  type Config,
  type Logger,
  type SubgraphName,
  stopTracing,
} from '@csp/kernel/edge';
import express from 'express';
import { parse } from 'graphql';
import type { Server } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { anonymousAccessPlugin } from './anonymous-access';
import { gatewayEnv } from './config';
import type { GatewayContext } from './context';
import { recentWrites, recordWritesPlugin } from './read-your-writes';
import { ForwardingDataSource, timeoutFetcher } from './data-source';
import { SubgraphClient } from './subgraph-fetch';
import { explorerHtml } from './explorer';
import { mountJobDashboard } from './admin/job-dashboard';
import { mountLogin } from './admin/login-page';
import { budget, rateLimit } from './rate-limit';
import { clientAddress, trustProxySetting } from './client-address';
import { requestLimitsPlugin } from './request-limits';
import { requestDedupePlugin } from './request-dedupe';
import { securityHeaders, withNonce } from './security-headers';
import { sharedSecret } from './shared-secret';
import { mountUsageStream } from './usage-stream';

export type GatewayConfig = Config<typeof gatewayEnv>;

export const DEFAULT_SUPERGRAPH = path.resolve(__dirname, '../supergraph.graphql');

export interface RunningGateway {
  url: string;
  server: Server;
  shutdown: Shutdown;
  logger: Logger;
}

/** Query limits: the kernel's, shared with every subgraph. */
export { ARMOR_LIMITS } from '@csp/kernel/edge';

export async function startGateway(env: NodeJS.ProcessEnv = process.env, embedded = false): Promise<RunningGateway> {
  const config = parseConfig(gatewayEnv, env) as GatewayConfig;
  const production = config.NODE_ENV === 'production';
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const shutdown = new Shutdown(logger);
  const supergraphSdl = readFileSync(config.SUPERGRAPH_PATH ?? DEFAULT_SUPERGRAPH, 'utf8');
  // Which root fields are public or sign-ins is declared in the subgraphs (@tag), read from here.
  const supergraphDoc = parse(supergraphSdl);
  const overrides = Object.fromEntries(
    SUBGRAPHS.map((s) => [s.name, (config as Record<string, unknown>)[subgraphUrlEnv(s.name)] as string | undefined]),
  ) as Record<SubgraphName, string | undefined>;

  // @apollo/gateway reads this from the process environment: without it, it reports anonymous
  // usage to Apollo and probes cloud metadata addresses. This graph never phones home.
  process.env.APOLLO_TELEMETRY_DISABLED ??= '1';
  const client = new SubgraphClient({ timeoutMs: config.SUBGRAPH_TIMEOUT_MS, connections: config.SUBGRAPH_CONNECTIONS, dedupe: config.SUBGRAPH_DEDUPE === 'on' });
  // Where each subgraph answers (the supergraph's URL or its override): the usage stream goes to billing's.
  const subgraphUrls: Partial<Record<string, string>> = {};
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) =>
      new ForwardingDataSource(name, config.INTERNAL_SECRET, { url: (subgraphUrls[name] = overrides[name as SubgraphName] ?? url), fetcher: timeoutFetcher(config.SUBGRAPH_TIMEOUT_MS) }, client),
  });

  const armor = queryLimits(production);

  const redis = createRedis(config.REDIS_URL, 'producer');
  // Every request asks Redis twice (its rate budget, the caller's recent writes): on a connection
  // of their own, auto-pipelined, concurrent requests' commands leave in one write per event-loop
  // turn. Not the queues' connection: BullMQ is not meant to run auto-pipelined.
  const perRequest = createRedis(config.REDIS_URL, 'producer', { enableAutoPipelining: true });
  const writes = recentWrites(perRequest, config.REDIS_PREFIX);
  const signIns = budget(perRequest, redisKeys(config.REDIS_PREFIX).signInBudget, config.LOGIN_RATE_LIMIT_PER_MINUTE);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !production,
    csrfPrevention: true,
    parseOptions: { maxTokens: ARMOR_LIMITS.maxTokens },
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    validationRules: armor.validationRules,
    plugins: [...(armor.plugins as never[]), requestLimitsPlugin(signIns, supergraphDoc), anonymousAccessPlugin(supergraphDoc), metricsPlugin() as never, recordWritesPlugin(writes), ...(config.REQUEST_DEDUPE === 'on' ? [requestDedupePlugin()] : [])],
    formatError: (formatted, error) => formatError(formatted, error, (err) => logger.error({ err }, 'unexpected gateway error')),
  });
  await apollo.start();

  const verify = createTokenVerifier({ jwks: config.JWKS_URL, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
  const app = createHttpHost({ service: 'gateway', logger, readiness: { redis: () => pingRedis(redis) } });
  app.set('trust proxy', trustProxySetting(config.TRUST_PROXY));
  let url = '';
  const pageSecret = await sharedSecret(redis, redisKeys(config.REDIS_PREFIX).pageSecret);
  // One token verification per request: the budget key and the context share it.
  const callerOf = (req: express.Request) => ((req as { callerCheck?: ReturnType<typeof verify> }).callerCheck ??= verify(req.header('authorization')));
  // Read-your-writes: what this caller's recent requests wrote, asked of Redis as soon as the caller
  // is known (beside the rate limit's count, not after it); the context awaits it.
  const recentOf = (req: express.Request) => {
    const r = req as { recentWrites?: Promise<string[]> };
    if (!r.recentWrites) {
      r.recentWrites = callerOf(req).then((caller) => (caller ? writes.of(caller.userId) : []));
      r.recentWrites.catch(() => undefined); // a refused token is reported by the context, or never asked for (429)
    }
    return r.recentWrites;
  };

  app.use(securityHeaders());
  app.get('/', (_req, res) => res.redirect('/explorer'));
  const queues = enableQueueMetrics(redis, config.REDIS_PREFIX);
  mountLogin(app, () => `${url}/graphql`, production, await sharedSecret(redis, redisKeys(config.REDIS_PREFIX).csrfSecret), pageSecret);
  mountJobDashboard(app, queues, verify);
  app.get('/explorer', (_req, res) => res.type('html').send(withNonce(explorerHtml(), res)));
  const perCaller = rateLimit({
    redis: perRequest,
    prefix: config.REDIS_PREFIX,
    perMinute: config.RATE_LIMIT_PER_MINUTE,
    // The verified subject (in its tenant) names the caller, however its header is spelled and
    // however many tokens it holds; anonymous and invalid tokens are counted per address.
    key: async (req) => {
      const caller = await callerOf(req).catch(() => null);
      if (caller) void recentOf(req);
      return caller ? `u:${caller.partnerId ?? caller.customerId ?? '-'}:${caller.userId}` : `ip:${clientAddress(req, pageSecret)}`;
    },
  });
  // Bulk usage: one request of the caller's budget however many rows it streams (no body size cap;
  // each line is capped by billing).
  const usageStream = mountUsageStream(app, {
    billingUrl: () => subgraphUrls.billing,
    internalSecret: config.INTERNAL_SECRET,
    callerOf,
    limit: perCaller,
  });
  app.use(
    '/graphql',
    perCaller,
    // A 10,000-row usage batch with realistic ids is about 1.5 MB.
    express.json({ limit: '4mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const authorization = req.header('authorization');
        let caller;
        try {
          caller = await callerOf(req);
        } catch (err) {
          if (err instanceof AppError) {
            err.extensions.http = { status: 401 };
          }
          throw err;
        }
        // Read-your-writes: what this caller's recent requests wrote, for every subgraph to await.
        const recent = caller ? await recentOf(req) : [];
        return { caller, authorization, requestId: currentRequestId() ?? 'none', clientAddress: clientAddress(req, pageSecret), writes: recent, ownWrites: 0 };
      },
    }),
  );
  // Malformed JSON bodies: a GraphQL-shaped 400, not an HTML page.
  app.use((err: Error & { status?: number; type?: string }, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (!err.status || err.status >= 500) return next(err);
    res.status(err.status).json({ errors: [{ message: `Bad request: ${err.message}`, extensions: { code: 'BAD_REQUEST' } }] });
  });

  const server = await listen(app, config.PORT, config.HOST);
  url = serverUrl(server);
  shutdown.add('http', () => new Promise<void>((resolve) => server.close(() => resolve())));
  shutdown.add('apollo', () => apollo.stop());
  shutdown.addFinal('subgraph-client', () => client.close());
  shutdown.addFinal('usage-stream', () => usageStream.close());
  shutdown.addFinal('queues', () => queues.close());
  shutdown.addFinal('redis', () => Promise.all([closeRedis(redis), closeRedis(perRequest)]).then(() => undefined));
  shutdown.addFinal('tracing', () => stopTracing());
  if (!embedded) shutdown.listen();
  logger.info({ url: `${url}/graphql`, explorer: `${url}/explorer` }, 'gateway listening');
  return { url, server, shutdown, logger };
}
