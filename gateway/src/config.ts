import { z } from 'zod';
import { authEnv, baseEnv, internalEnv, GATEWAY_PORT, portEnv, SUBGRAPHS, subgraphUrlEnv } from '@csp/kernel';

const url = z.string().url('must be an http(s) URL');

export const gatewayEnv = {
  NODE_ENV: baseEnv.NODE_ENV,
  LOG_LEVEL: baseEnv.LOG_LEVEL,
  REDIS_URL: baseEnv.REDIS_URL,
  REDIS_PREFIX: baseEnv.REDIS_PREFIX,
  ...authEnv,
  ...internalEnv,
  ...portEnv(GATEWAY_PORT),
  SUPERGRAPH_PATH: z.string().optional(),
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Keep-alive sockets per subgraph (undici pool) and sharing of identical in-flight queries per caller. */
  SUBGRAPH_CONNECTIONS: z.coerce.number().int().min(1).max(1024).default(64),
  SUBGRAPH_DEDUPE: z.enum(['on', 'off']).default('on'),
  /** Per-caller request budget per minute, shared by all gateway replicas through Redis. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** Sign-in attempts (each login field) per client address per minute. */
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /** Proxies whose X-Forwarded-For is believed (Express `trust proxy` syntax); empty: none. */
  TRUST_PROXY: z.string().optional(),
  ...Object.fromEntries(SUBGRAPHS.map((s) => [subgraphUrlEnv(s.name), url.optional()])),
};
