import { addDuration, parseDuration, requireGdapDuration } from '../src/gdap/duration';
import { parseScope, scopeChain, tryParseScope } from '../src/scopes/scope';

describe('scopes', () => {
  it('parses the three levels and lists the chain above each', () => {
    expect(scopeChain(parseScope('/customers/c1/subscriptions/s1/services/web.api'))).toEqual([
      '/customers/c1',
      '/customers/c1/subscriptions/s1',
      '/customers/c1/subscriptions/s1/services/web.api',
    ]);
    expect(scopeChain(parseScope('/customers/c1'))).toEqual(['/customers/c1']);
  });

  it.each(['', '/', '/customers', '/customers/', '/customers/c1/', '/customers/c1/subscriptions', '/customers/c1/services/x', '/customers/../x', '/customers/c1/subscriptions/s1/services/a/b', 'customers/c1'])(
    'refuses %j',
    (s) => {
      expect(tryParseScope(s)).toBeUndefined();
      expect(() => parseScope(s)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }));
    },
  );
});

describe('GDAP durations', () => {
  const now = new Date('2026-01-31T10:00:00Z');

  it('adds calendar durations in UTC', () => {
    expect(addDuration(now, parseDuration('P1M')!).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(addDuration(now, parseDuration('P2Y')!).toISOString()).toBe('2028-01-31T10:00:00.000Z');
    expect(addDuration(now, parseDuration('P1W2D')!).toISOString()).toBe('2026-02-09T10:00:00.000Z');
  });

  it.each(['P1D', 'P730D', 'P24M', 'P2Y', 'P1Y11M30D'])('accepts %s', (d) => {
    expect(() => requireGdapDuration(d, now)).not.toThrow();
  });

  it.each(['P0D', 'P2Y1D', 'P25M', 'P3Y', 'PT1H', 'P', '1D', 'P-1D', 'P1.5D'])('refuses %s', (d) => {
    expect(() => requireGdapDuration(d, now)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }));
  });
});
