import { randomBytes } from 'node:crypto';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../..');

/**
 * The instant every test file's platform clock starts at unless the file pins another
 * (`isolatedEnv(tag, { TEST_CLOCK_START })`): expectations never depend on the day the suite runs.
 * Mid-month, so that a month boundary is a deliberate `advanceClock`, never an accident.
 */
export const PINNED_NOW = '2026-11-16T09:00:00.000Z';

/**
 * What a process a test spawns inherits from the test runner's own environment: the toolchain's
 * PATH, a faked system date (libfaketime's LD_PRELOAD and FAKETIME*, the calendar guard) and
 * the no-telemetry switch. Without them a child would run on another date than its parent.
 */
function inherited(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] => e[1] !== undefined && /^(PATH|LD_PRELOAD|FAKETIME.*|DONT_FAKE_MONOTONIC|APOLLO_TELEMETRY_DISABLED)$/.test(e[0]),
    ),
  );
}

/**
 * Stores for one test file: the FerretDB/MongoDB server and Redis that `make test` started,
 * with database names and a Redis key prefix of this file's own, so files never collide.
 */
export function isolatedEnv(tag: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv & { DB_PREFIX: string } {
  const mongo = process.env.MONGO_URL;
  const redis = process.env.REDIS_URL;
  if (!mongo || !redis) throw new Error('MONGO_URL and REDIS_URL must be set: run the tests through `make test`.');
  const id = `${tag.replace(/[^A-Za-z0-9]/g, '').slice(0, 16)}${randomBytes(3).toString('hex')}`;
  return {
    ...inherited(),
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    MONGO_URL: mongo,
    REDIS_URL: redis,
    REDIS_PREFIX: `t:${id}`,
    TEST_CLOCK: 'enabled',
    TEST_CLOCK_START: PINNED_NOW,
    HOST: '127.0.0.1',
    PORT: '0',
    DB_PREFIX: `t_${id}`,
    // Shared by this file's gateway and services (the proof that a request came through the gateway).
    INTERNAL_SECRET: randomBytes(24).toString('hex'),
    ...extra,
  };
}
