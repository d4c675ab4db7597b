import { existsSync } from 'node:fs';
import express from 'express';
import { z } from 'zod';
// The kernel's light modules alone: runProcess checks these before the server (and the kernel) load.
import { authEnv, baseEnv, enumVar, httpUrlVar, msVar, portEnv, wholeNumberVar } from '@csp/kernel/runtime/config';
import { internalEnv } from '@csp/kernel/auth/internal-proof';
import { GATEWAY_PORT, SUBGRAPHS, subgraphUrlEnv } from '@csp/kernel/runtime/topology';
import { trustProxySetting } from './client-address';

/** The setting Express accepts, checked now: a bad one would otherwise throw as the app is built. */
const trustProxyValid = (value: string | undefined) => {
  try {
    express().set('trust proxy', trustProxySetting(value));
    return true;
  } catch {
    return false;
  }
};

export const gatewayEnv = {
  NODE_ENV: baseEnv.NODE_ENV,
  LOG_LEVEL: baseEnv.LOG_LEVEL,
  REDIS_URL: baseEnv.REDIS_URL,
  REDIS_PREFIX: baseEnv.REDIS_PREFIX,
  ...authEnv,
  ...internalEnv,
  ...portEnv(GATEWAY_PORT),
  SUPERGRAPH_PATH: z.string().refine(existsSync, 'must name an existing file (the composed supergraph)').optional(),
  SUBGRAPH_TIMEOUT_MS: msVar(10_000, 100, 120_000),
  /** Keep-alive sockets per subgraph (undici pool) and sharing of identical in-flight queries per caller. */
  SUBGRAPH_CONNECTIONS: wholeNumberVar(64, 1, 1024),
  SUBGRAPH_DEDUPE: enumVar(['on', 'off'], 'on'),
  /** Identical in-flight queries of one caller answered by one execution (request-dedupe.ts). */
  REQUEST_DEDUPE: enumVar(['on', 'off'], 'on'),
  /** Per-caller request budget per minute, shared by all gateway replicas through Redis. */
  RATE_LIMIT_PER_MINUTE: wholeNumberVar(600, 1, 1_000_000_000),
  /** Sign-in attempts (each login field) per client address per minute. */
  LOGIN_RATE_LIMIT_PER_MINUTE: wholeNumberVar(30, 1, 1_000_000_000),
  /** Proxies whose X-Forwarded-For is believed (Express `trust proxy` syntax); empty: none. */
  TRUST_PROXY: z
    .string()
    .optional()
    .refine(trustProxyValid, 'must be "false" or a comma-separated list of proxy addresses, CIDR ranges, loopback, linklocal or uniquelocal'),
  ...Object.fromEntries(SUBGRAPHS.map((s) => [subgraphUrlEnv(s.name), httpUrlVar().optional()])),
};
