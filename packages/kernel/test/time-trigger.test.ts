import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { boundariesBetween, createLogger, startTimeTrigger, testClock, type Clock } from '@csp/kernel';
import { isolatedEnv } from '@csp/testkit';

describe('boundariesBetween', () => {
  it('lists each month start crossed, none when within a month', () => {
    const b = boundariesBetween(new Date('2026-10-30T12:00:00Z'), new Date('2027-01-01T00:00:00Z'), 'month');
    expect(b.map((d) => d.toISOString())).toEqual(['2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
    expect(boundariesBetween(new Date('2026-10-02T00:00:00Z'), new Date('2026-10-31T23:59:59Z'), 'month')).toEqual([]);
    expect(boundariesBetween(new Date('2026-10-30T12:00:00Z'), new Date('2026-11-02T01:00:00Z'), 'day')).toHaveLength(3);
  });
});

describe('a time trigger follows the test clock, once per boundary across replicas', () => {
  const env = isolatedEnv('trigger');
  const logger = createLogger('test', 'silent');
  const conns: Redis[] = [];
  const redis = () => {
    const r = new Redis(env.REDIS_URL!, { maxRetriesPerRequest: null });
    conns.push(r);
    return r;
  };
  afterAll(() => conns.forEach((c) => c.disconnect()));

  it('two replicas seeing a jump over a month end enqueue that month once', async () => {
    const clocks: Clock[] = [];
    for (let i = 0; i < 2; i++) clocks.push(await testClock({ redis: redis(), subscriber: redis(), prefix: env.REDIS_PREFIX!, pollMs: 100 }));
    const queue = new Queue('monthly', { connection: redis(), prefix: env.REDIS_PREFIX! });
    const fired: string[] = [];
    const triggers = clocks.map((clock) =>
      startTimeTrigger({
        name: 'monthly',
        cadence: 'month',
        clock,
        redis: redis(),
        prefix: env.REDIS_PREFIX!,
        logger,
        pollMs: 50,
        fire: async (b) => {
          const period = new Date(b.getTime() - 1).toISOString().slice(0, 7); // the month that just closed
          fired.push(period);
          await queue.add('close-month', { period }, { jobId: `close-${period}` });
        },
      }),
    );
    await Promise.all(triggers.map((t) => t.check()));
    const now = clocks[0].now();
    const nextMonthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1, 2));
    await clocks[0].advance(nextMonthStart);
    await new Promise((r) => setTimeout(r, 600));
    await Promise.all(triggers.map((t) => t.check()));

    const closed = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString().slice(0, 7);
    expect(fired.length).toBeGreaterThanOrEqual(1);
    expect(new Set(fired)).toEqual(new Set([closed]));
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 1 });

    triggers.forEach((t) => t.stop());
    await Promise.all(clocks.map((c) => c.stop()));
    await queue.obliterate({ force: true });
    await queue.close();
  });
});
