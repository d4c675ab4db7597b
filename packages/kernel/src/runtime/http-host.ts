import express, { type Express, type Request, type Response, type NextFunction } from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from './logger';
import { enableDefaultMetrics, httpDuration, registry } from './metrics';
import { currentRequestContext, REQUEST_ID_HEADER, runWithRequestId } from './request-context';

export type ReadinessCheck = () => Promise<void>;

export interface HttpHostOptions {
  service: string;
  logger: Logger;
  /** Each must resolve when its store answers; /ready is 503 while any rejects. */
  readiness: Record<string, ReadinessCheck>;
  /** The process's platform time, shown on /health so every process's view of the clock can be checked. */
  now?: () => Date;
}

/**
 * Every process (subgraph, gateway, worker) serves /health, /ready and /metrics through this,
 * and tags each request with a request id that the rest of the work inherits.
 */
export function createHttpHost({ service, logger, readiness, now }: HttpHostOptions): Express {
  enableDefaultMetrics(service);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  app.use((req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    runWithRequestId(req.header(REQUEST_ID_HEADER), () => {
      const ctx = currentRequestContext();
      res.on('finish', () => {
        httpDuration.observe(
          { method: req.method, route: routeLabel(req), operation: ctx?.operation ?? '', status: String(res.statusCode) },
          Number(process.hrtime.bigint() - started) / 1e9,
        );
      });
      next();
    }, 'http');
  });

  app.get('/health', (_req, res) => {
    // `node`: the runtime this process runs on, so ops can see every replica left Node 20 behind.
    res.json({ status: 'ok', service, node: process.version, ...(now ? { now: now().toISOString() } : {}) });
  });

  app.get('/ready', async (_req, res) => {
    const results = await Promise.all(
      Object.entries(readiness).map(async ([name, check]) => {
        try {
          await withTimeout(check(), 2000);
          return [name, 'ok'] as const;
        } catch (err) {
          logger.warn({ err, store: name }, 'readiness check failed');
          return [name, 'unavailable'] as const;
        }
      }),
    );
    const ok = results.every(([, s]) => s === 'ok');
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not ready', service, checks: Object.fromEntries(results) });
  });

  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });

  return app;
}

/**
 * A bounded route label: the matched route's path, else the mount a request went to. Mounted
 * routers (/graphql, /admin) strip their prefix from req.path, so read the original URL.
 */
function routeLabel(req: Request): string {
  if (req.route?.path) return String(req.route.path);
  const path = req.originalUrl.split('?')[0];
  for (const mount of ['/graphql', '/explorer', '/admin']) if (path === mount || path.startsWith(`${mount}/`)) return mount;
  return 'other';
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms}ms`)), ms);
    t.unref();
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}

/** The longest a request's body may take to arrive. */
export const REQUEST_TIMEOUT_MS = 30 * 60_000;

export function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(server)));
    // Keep-alive sockets from the gateway must not outlive a graceful shutdown by long.
    server.keepAliveTimeout = 5_000;
    // A bulk usage stream (POST /usage/records) of a million rows takes minutes to arrive; Node's
    // 5-minute default would cut it. Headers still must come within headersTimeout (60 s), and
    // JSON bodies are size-limited.
    server.requestTimeout = REQUEST_TIMEOUT_MS;
  });
}

export function serverUrl(server: Server, path = ''): string {
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${port}${path}`;
}
