import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { baseEnv, ConfigError, parseConfig } from '@csp/kernel';
import { REPO_ROOT } from '@csp/testkit';

describe('configuration from the environment', () => {
  const good = { MONGO_URL: 'mongodb://127.0.0.1:27017/', REDIS_URL: 'redis://127.0.0.1:6379' };

  it('accepts good values and fills defaults', () => {
    const c = parseConfig(baseEnv, good);
    expect(c.REDIS_PREFIX).toBe('csp');
    expect(c.TEST_CLOCK).toBe('disabled');
  });

  it('names the variable and the problem in one line', () => {
    expect(() => parseConfig(baseEnv, { ...good, MONGO_URL: 'not-a-url' })).toThrow(
      new ConfigError('config error: MONGO_URL must be a mongodb:// or mongodb+srv:// URL'),
    );
    expect(() => parseConfig(baseEnv, { MONGO_URL: good.MONGO_URL })).toThrow('config error: REDIS_URL is required but not set');
  });

  const okEnv = { ...good, JWKS_URL: 'http://127.0.0.1:1/jwks', INTERNAL_SECRET: 'a-shared-secret-of-at-least-32-characters', PATH: process.env.PATH };
  it.each([
    ['catalog', 'services/catalog/dist/index.js', { MONGO_URL: 'not-a-url' }, 'config error: MONGO_URL must be a mongodb:// or mongodb+srv:// URL'],
    ['gateway', 'gateway/dist/index.js', { REDIS_URL: 'localhost' }, 'config error: REDIS_URL must be a redis:// or rediss:// URL'],
    ['identity', 'services/identity/dist/index.js', { PORT: 'eighty' }, 'config error: PORT must be a port number (0-65535)'],
    ['subscription', 'services/subscription/dist/index.js', { INTERNAL_SECRET: undefined }, 'config error: INTERNAL_SECRET is required but not set'],
    ['gateway', 'gateway/dist/index.js', { INTERNAL_SECRET: 'short' }, 'config error: INTERNAL_SECRET must be at least 32 characters, the same for the gateway and every service'],
  ])('a bad value stops the %s process with exactly one clear line', (_name, entry, bad, line) => {
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, entry)], {
      env: { ...okEnv, ...bad },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(r.status).toBe(78);
    expect(r.stderr.trim().split('\n')).toEqual([line]);
  });
});
