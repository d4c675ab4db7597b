import type { Express } from 'express';
import { stopTracing } from './tracing';
import type { Server } from 'node:http';
import type { Redis } from 'ioredis';
import { createTokenVerifier, type TokenVerifier } from '../auth/tokens';
import { forwardOutboxWrites } from '../events/outbox-signal';
import { connectMongo, type MongoStore } from '../stores/mongo';
import { closeRedis, createRedis, pingRedis } from '../stores/redis';
import { systemClock, testClock, type Clock } from './clock';
import { ConfigError, parseConfig, runtimeEnv, type Config, type EnvShape, type ProcessSpec } from './config';
import { createHttpHost, listen, serverUrl } from './http-host';
import { createLogger, type Logger } from './logger';
import { Shutdown } from './shutdown';

export type RuntimeConfig = Config<ReturnType<typeof runtimeEnv>>;

/**
 * Everything a process of one service shares: config, logs, stores, clock, HTTP host.
 * `settings` are the service's own variables (`S`, declared in its config.ts).
 */
export interface Runtime<S extends EnvShape = EnvShape> {
  name: string;
  config: RuntimeConfig;
  settings: Config<S>;
  logger: Logger;
  mongo: MongoStore;
  /** Fail-fast connection for request paths and queue producers. */
  redis: Redis;
  /** Blocking connection for BullMQ workers (`maxRetriesPerRequest: null`). */
  workerRedis(): Redis;
  clock: Clock;
  verify: TokenVerifier;
  app: Express;
  shutdown: Shutdown;
  production: boolean;
  /** Starts the HTTP listener; returns its base URL. */
  listen(): Promise<string>;
}

/** The process (its config.ts), where its environment comes from, and whether it runs in-process. */
export interface RuntimeOptions<S extends EnvShape = EnvShape> extends ProcessSpec<S> {
  env?: NodeJS.ProcessEnv;
  /** In-process (tests): do not trap signals. */
  embedded?: boolean;
}

/**
 * Validates the whole environment (a bad value throws ConfigError: runProcess turns it into one
 * line and exit 78), then connects the stores.
 */
export async function createRuntime<S extends EnvShape>(opts: RuntimeOptions<S>): Promise<Runtime<S>> {
  const env = opts.env ?? process.env;
  const config = parseConfig(runtimeEnv(opts.defaultPort, opts.defaultDb), env);
  const settings = parseConfig(opts.settings, env);
  const production = config.NODE_ENV === 'production';
  if (production && config.TEST_CLOCK === 'enabled') throw new ConfigError('config error: TEST_CLOCK must not be enabled when NODE_ENV=production');
  const logger = createLogger(opts.name, config.LOG_LEVEL);
  const shutdown = new Shutdown(logger);
  const mongo = await connectMongo(config.MONGO_URL, config.MONGO_DB);
  const redis = createRedis(config.REDIS_URL, 'producer');
  // Outbox writes of collections no relay here drains wake the relays of other processes.
  forwardOutboxWrites(mongo.connection, redis, config.REDIS_PREFIX);
  const workerConnections: Redis[] = [];
  const workerRedis = () => {
    const r = createRedis(config.REDIS_URL, 'worker');
    workerConnections.push(r);
    return r;
  };
  const clock =
    config.TEST_CLOCK === 'enabled'
      ? await testClock({
          redis,
          subscriber: workerRedis(),
          prefix: config.REDIS_PREFIX,
          logger,
          start: config.TEST_CLOCK_START ? new Date(config.TEST_CLOCK_START) : undefined,
        })
      : systemClock();
  const app = createHttpHost({
    service: opts.name,
    logger,
    readiness: { mongo: () => mongo.ping(), redis: () => pingRedis(redis) },
    now: () => clock.now(),
  });
  const verify = createTokenVerifier({ jwks: config.JWKS_URL, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
  let server: Server | undefined;

  const rt: Runtime<S> = {
    name: opts.name,
    config,
    settings,
    logger,
    mongo,
    redis,
    workerRedis,
    clock,
    verify,
    app,
    shutdown,
    production,
    async listen() {
      server = await listen(app, config.PORT, config.HOST);
      const url = serverUrl(server);
      logger.info({ url }, `${opts.name} listening`);
      return url;
    },
  };
  shutdown.add('http', () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));
  shutdown.addFinal('clock', () => clock.stop());
  shutdown.addFinal('redis', async () => {
    await Promise.all([redis, ...workerConnections].map(closeRedis));
  });
  shutdown.addFinal('mongo', () => mongo.close());
  shutdown.addFinal('tracing', () => stopTracing());
  if (!opts.embedded) shutdown.listen();
  return rt;
}
