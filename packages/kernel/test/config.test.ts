import { baseEnv, ConfigError, enumVar, fractionVar, httpUrlVar, msVar, parseConfig, wholeNumberVar } from '@csp/kernel';

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

  it('builds numbers, durations, fractions, enums and URLs that say what is wrong', () => {
    const shape = { N: wholeNumberVar(4, 1, 64), T: msVar(500, 0, 1000), F: fractionVar(0), E: enumVar(['on', 'off'], 'on'), U: httpUrlVar().optional() };
    expect(parseConfig(shape, {})).toEqual({ N: 4, T: 500, F: 0, E: 'on' });
    expect(parseConfig(shape, { N: '64', T: '0', F: '0.5', E: 'off', U: 'https://x.example/a' })).toEqual({ N: 64, T: 0, F: 0.5, E: 'off', U: 'https://x.example/a' });
    expect(() => parseConfig(shape, { N: '2.5' })).toThrow('config error: N must be a whole number from 1 to 64');
    expect(() => parseConfig(shape, { N: 'many' })).toThrow('config error: N must be a whole number from 1 to 64');
    expect(() => parseConfig(shape, { T: '1001' })).toThrow('config error: T must be a number of milliseconds from 0 to 1000');
    expect(() => parseConfig(shape, { F: '2' })).toThrow('config error: F must be a number from 0 to 1');
    expect(() => parseConfig(shape, { E: 'yes' })).toThrow('config error: E must be one of on, off');
    expect(() => parseConfig(shape, { U: 'ftp://x.example' })).toThrow('config error: U must be an http(s) URL');
  });

  // Every process's exit on a bad value (one line, 78): infra/test/config-exit.test.ts.
});
