import { z } from 'zod';
import { internalEnv } from '../auth/internal-proof';

/**
 * Environment configuration, validated once at start, before any store is reached. A bad or
 * missing value stops the process with one line naming the variable (see run-process.ts): ops
 * read that line in a crash loop, not a stack.
 *
 * The builders below carry the message with the rule, so that every variable — the runtime's and
 * each service's own — reads `config error: <NAME> must be …`.
 */

/** A whole number from `min` to `max`, e.g. a count or a size (`unit` says what it counts). */
export function wholeNumberVar(fallback: number, min: number, max: number, unit = 'a whole number') {
  const message = `must be ${unit} from ${min} to ${max}`;
  return z.coerce.number({ invalid_type_error: message }).int(message).min(min, message).max(max, message).default(fallback);
}

/** A duration in milliseconds from `min` to `max`. */
export const msVar = (fallback: number, min: number, max: number) => wholeNumberVar(fallback, min, max, 'a number of milliseconds');

/** A fraction from 0 to 1 (a rate). */
export function fractionVar(fallback: number) {
  const message = 'must be a number from 0 to 1';
  return z.coerce.number({ invalid_type_error: message }).min(0, message).max(1, message).default(fallback);
}

/** One of `values`. */
export function enumVar<const T extends [string, ...string[]]>(values: T, fallback: T[number]) {
  const message = `must be one of ${values.join(', ')}`;
  return z.enum(values, { errorMap: () => ({ message }) }).default(fallback as never);
}

/** An http:// or https:// URL (`what` says whose). */
export function httpUrlVar(what = 'an http(s) URL') {
  const message = `must be ${what}`;
  return z.string().url(message).regex(/^https?:\/\/[^\s/]+/, message);
}

/** Text that must not be empty (names, issuers). */
export const textVar = (fallback: string) => z.string().min(1, 'must not be empty').default(fallback);

export const baseEnv = {
  NODE_ENV: enumVar(['development', 'test', 'production'], 'development'),
  LOG_LEVEL: enumVar(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
  MONGO_URL: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\/[^\s/]+/, 'must be a mongodb:// or mongodb+srv:// URL'),
  REDIS_URL: z.string().regex(/^rediss?:\/\/[^\s]+$/, 'must be a redis:// or rediss:// URL'),
  /** Prefix of every Redis key this deployment owns (queues, clock, locks, limits). */
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]{1,64}$/, 'letters, digits, ":", "_" or "-"').default('csp'),
  TEST_CLOCK: enumVar(['enabled', 'disabled'], 'disabled'),
  /** With TEST_CLOCK=enabled: the instant the platform clock starts at (ISO 8601, e.g. 2026-10-15T09:00:00Z). */
  TEST_CLOCK_START: z
    .string()
    .datetime({ offset: true, message: 'must be an ISO 8601 instant such as 2026-10-15T09:00:00Z' })
    .optional(),
};

export const authEnv = {
  JWKS_URL: httpUrlVar('an http(s) URL of the identity JWKS'),
  JWT_ISSUER: textVar('csp-identity'),
  JWT_AUDIENCE: textVar('csp-graph'),
};

export const portEnv = (fallback: number) => ({
  PORT: wholeNumberVar(fallback, 0, 65535, 'a port number'),
  HOST: z.string().regex(/^[A-Za-z0-9.:[\]%-]{1,253}$/, 'must be a host name or an IP address').default('127.0.0.1'),
});

/** Every variable of a service's runtime (`defaultPort`, `defaultDb`: that process's defaults). */
export const runtimeEnv = (defaultPort: number, defaultDb: string) => ({
  ...baseEnv,
  ...authEnv,
  ...internalEnv,
  ...portEnv(defaultPort),
  MONGO_DB: z.string().regex(/^[A-Za-z0-9_-]{1,60}$/, 'must be a database name (letters, digits, _ or -)').default(defaultDb),
  /** The outbox relay's safety sweep: writes wake it directly, the sweep catches lost wake-ups. */
  OUTBOX_SWEEP_MS: msVar(30_000, 100, 3_600_000),
  /**
   * Read-your-writes: how long a request waits at most for the caller's recent events to be
   * applied here. Below the gateway's SUBGRAPH_TIMEOUT_MS (10 s): a late answer beats a wrong one.
   */
  READ_YOUR_WRITES_WAIT_MS: msVar(8_000, 0, 60_000),
});

export type EnvShape = z.ZodRawShape;

/** What a service's process is, declared in its config.ts: name, defaults, and its own variables. */
export interface ProcessSpec<S extends EnvShape = EnvShape> {
  name: string;
  defaultPort: number;
  defaultDb: string;
  settings: S;
}

/** Every variable a service's process reads: the runtime's and its own (these win a clash). */
export const processEnv = (spec: ProcessSpec) => ({ ...runtimeEnv(spec.defaultPort, spec.defaultDb), ...spec.settings });
export type Config<S extends EnvShape> = z.infer<z.ZodObject<S>>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses `env` against `shape`; throws a ConfigError whose message is one line naming the first bad variable. */
export function parseConfig<S extends EnvShape>(shape: S, env: NodeJS.ProcessEnv = process.env): Config<S> {
  const result = z.object(shape).safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = String(issue.path[0] ?? '?');
  const detail = env[name] === undefined && issue.code === 'invalid_type' ? 'is required but not set' : issue.message;
  throw new ConfigError(`config error: ${name} ${detail}`);
}
