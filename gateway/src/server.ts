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
  pingRedis,
  serverUrl,
  Shutdown,
  SUBGRAPHS,
  subgraphUrlEnv,
  type Config,
  type Logger,
  type SubgraphName,
} from '@csp/kernel';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import express from 'express';
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { anonymousAccessPlugin } from './anonymous-access';
import { gatewayEnv } from './config';
import type { GatewayContext } from './context';
import { ForwardingDataSource, timeoutFetcher } from './data-source';
import { explorerHtml } from './explorer';
import { mountJobDashboard } from './admin/job-dashboard';
import { mountLogin } from './admin/login-page';
import { rateLimit } from './rate-limit';

export type GatewayConfig = Config<typeof gatewayEnv>;

export const DEFAULT_SUPERGRAPH = path.resolve(__dirname, '../supergraph.graphql');

export interface RunningGateway {
  url: string;
  server: Server;
  shutdown: Shutdown;
  logger: Logger;
}

/** Query limits: generous for the contract's operations, fatal for abuse. */
export const ARMOR_LIMITS = { maxDepth: 12, maxAliases: 15, costLimit: 20_000, maxTokens: 2_000, maxDirectives: 20 };

export async function startGateway(env: NodeJS.ProcessEnv = process.env, embedded = false): Promise<RunningGateway> {
  const config = parseConfig(gatewayEnv, env) as GatewayConfig;
  const production = config.NODE_ENV === 'production';
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const shutdown = new Shutdown(logger);
  const supergraphSdl = readFileSync(config.SUPERGRAPH_PATH ?? DEFAULT_SUPERGRAPH, 'utf8');
  const overrides = Object.fromEntries(
    SUBGRAPHS.map((s) => [s.name, (config as Record<string, unknown>)[subgraphUrlEnv(s.name)] as string | undefined]),
  ) as Record<SubgraphName, string | undefined>;

  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) =>
      new ForwardingDataSource(name, config.INTERNAL_SECRET, { url: overrides[name as SubgraphName] ?? url, fetcher: timeoutFetcher(config.SUBGRAPH_TIMEOUT_MS) }),
  });

  const armor = new ApolloArmor({
    maxDepth: { n: ARMOR_LIMITS.maxDepth },
    maxAliases: { n: ARMOR_LIMITS.maxAliases },
    costLimit: { maxCost: ARMOR_LIMITS.costLimit },
    // graphql-js limits tokens while parsing itself (parseOptions below), answering 400;
    // armor's version throws from a plugin hook, which Apollo turns into a 500.
    maxTokens: { enabled: false },
    maxDirectives: { n: ARMOR_LIMITS.maxDirectives },
    blockFieldSuggestion: { enabled: production },
  }).protect();

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !production,
    csrfPrevention: true,
    parseOptions: { maxTokens: ARMOR_LIMITS.maxTokens },
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    validationRules: armor.validationRules,
    plugins: [...(armor.plugins as never[]), anonymousAccessPlugin(), metricsPlugin() as never],
    formatError: (formatted, error) => formatError(formatted, error, (err) => logger.error({ err }, 'unexpected gateway error')),
  });
  await apollo.start();

  const redis = createRedis(config.REDIS_URL, 'producer');
  const verify = createTokenVerifier({ jwks: config.JWKS_URL, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
  const app = createHttpHost({ service: 'gateway', logger, readiness: { redis: () => pingRedis(redis) } });
  let url = '';

  app.get('/', (_req, res) => res.redirect('/explorer'));
  const queues = enableQueueMetrics(redis, config.REDIS_PREFIX);
  mountLogin(app, () => `${url}/graphql`, production);
  mountJobDashboard(app, queues, verify);
  app.get('/explorer', (_req, res) => res.type('html').send(explorerHtml()));
  app.use(
    '/graphql',
    rateLimit({
      redis,
      prefix: config.REDIS_PREFIX,
      perMinute: config.RATE_LIMIT_PER_MINUTE,
      // The token (hashed) names the caller; anonymous callers are counted per address.
      key: (req) => {
        const auth = req.header('authorization');
        return auth ? `t:${createHash('sha256').update(auth).digest('base64url').slice(0, 22)}` : `ip:${req.ip}`;
      },
    }),
    // A 10,000-row usage batch with realistic ids is about 1.5 MB.
    express.json({ limit: '4mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const authorization = req.header('authorization');
        let caller;
        try {
          caller = await verify(authorization);
        } catch (err) {
          if (err instanceof AppError) {
            err.extensions.http = { status: 401 };
          }
          throw err;
        }
        return { caller, authorization, requestId: currentRequestId() ?? 'none' };
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
  shutdown.addFinal('queues', () => queues.close());
  shutdown.addFinal('redis', () => closeRedis(redis));
  if (!embedded) shutdown.listen();
  logger.info({ url: `${url}/graphql`, explorer: `${url}/explorer` }, 'gateway listening');
  return { url, server, shutdown, logger };
}
