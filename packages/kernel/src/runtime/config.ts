import { z } from 'zod';

/**
 * Environment configuration, validated once at start. A bad or missing value stops the
 * process with one line naming the variable: ops read that line in a crash loop, not a stack.
 */
export const baseEnv = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MONGO_URL: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\/[^\s/]+/, 'must be a mongodb:// or mongodb+srv:// URL'),
  REDIS_URL: z.string().regex(/^rediss?:\/\/[^\s]+$/, 'must be a redis:// or rediss:// URL'),
  /** Prefix of every Redis key this deployment owns (queues, clock, locks, limits). */
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]{1,64}$/, 'letters, digits, ":", "_" or "-"').default('csp'),
  TEST_CLOCK: z.enum(['enabled', 'disabled']).default('disabled'),
  /** With TEST_CLOCK=enabled: the instant the platform clock starts at (ISO 8601, e.g. 2026-10-15T09:00:00Z). */
  TEST_CLOCK_START: z
    .string()
    .datetime({ offset: true, message: 'must be an ISO 8601 instant such as 2026-10-15T09:00:00Z' })
    .optional(),
};

export const authEnv = {
  JWKS_URL: z.string().url('must be an http(s) URL of the identity JWKS'),
  JWT_ISSUER: z.string().min(1).default('csp-identity'),
  JWT_AUDIENCE: z.string().min(1).default('csp-graph'),
};

export const portEnv = (fallback: number) => ({
  PORT: z.coerce
    .number({ invalid_type_error: 'must be a port number (0-65535)' })
    .int('must be a port number (0-65535)')
    .min(0, 'must be a port number (0-65535)')
    .max(65535, 'must be a port number (0-65535)')
    .default(fallback),
  HOST: z.string().default('127.0.0.1'),
});

export type EnvShape = z.ZodRawShape;
export type Config<S extends EnvShape> = z.infer<z.ZodObject<S>>;

export class ConfigError extends Error {}

/** Parses `env` against `shape`; throws ConfigError whose message is one line per variable. */
export function parseConfig<S extends EnvShape>(shape: S, env: NodeJS.ProcessEnv = process.env): Config<S> {
  const result = z.object(shape).safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = String(issue.path[0] ?? '?');
  const detail = env[name] === undefined && issue.code === 'invalid_type' ? 'is required but not set' : issue.message;
  throw new ConfigError(`config error: ${name} ${detail}`);
}

/** As parseConfig, but a bad value ends the process with exit code 78 (EX_CONFIG). */
export function loadConfig<S extends EnvShape>(shape: S, env: NodeJS.ProcessEnv = process.env): Config<S> {
  try {
    return parseConfig(shape, env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
}
