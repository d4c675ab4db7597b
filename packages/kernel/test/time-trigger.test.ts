import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import mongoose, { type Connection } from 'mongoose';
import { boundariesBetween, createLogger, sleepUntil, startTimeTrigger, testClock, type Clock } from '@csp/kernel';
import { eventually, isolatedEnv } from '@csp/testkit';

describe('boundariesBetween', () => {
  it('lists each month start crossed, none when within a month', () => {
    const b = boundariesBetween(new Date('2026-10-30T12:00:00Z'), new Date('2027-01-01T00:00:00Z'), 'month');
    expect(b.map((d) => d.toISOString())).toEqual(['2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
    expect(boundariesBetween(new Date('2026-10-02T00:00:00Z'), new Date('2026-10-31T23:59:59Z'), 'month')).toEqual([]);
    expect(boundariesBetween(new Date('2026-10-30T12:00:00Z'), new Date('2026-11-02T01:00:00Z'), 'day')).toHaveLength(3);
  });
});

describe('a time trigger follows the test clock, once per boundary across replicas, with its watermark in the store', () => {
  const env = isolatedEnv('trigger');
  const logger = createLogger('test', 'silent');
  const conns: Redis[] = [];
  const redis = () => {
    const r = new Redis(env.REDIS_URL!, { maxRetriesPerRequest: null });
    conns.push(r);
    return r;
  };
  let store: Connection;
  beforeAll(async () => {
    store = await mongoose.createConnection(env.MONGO_URL!, { dbName: `${env.DB_PREFIX}_trigger` }).asPromise();
  });
  afterAll(async () => {
    conns.forEach((c) => c.disconnect());
    await store.dropDatabase();
    await store.close();
  });
  const monthOf = (b: Date) => new Date(b.getTime() - 1).toISOString().slice(0, 7); // the month that just closed

  it('two replicas seeing a jump over a month end enqueue that month once', async () => {
    const clocks: Clock[] = [];
    for (let i = 0; i < 2; i++) clocks.push(await testClock({ redis: redis(), subscriber: redis(), prefix: env.REDIS_PREFIX!, pollMs: 100, start: new Date(env.TEST_CLOCK_START!) }));
    const queue = new Queue('monthly', { connection: redis(), prefix: env.REDIS_PREFIX! });
    const fired: string[] = [];
    const triggers = clocks.map((clock) =>
      startTimeTrigger({
        name: 'monthly',
        cadence: 'month',
        clock,
        store,
        logger,
        pollMs: 50,
        fire: async (b) => {
          fired.push(monthOf(b));
          await queue.add('close-month', { period: monthOf(b) }, { jobId: `close-${monthOf(b)}` });
        },
      }),
    );
    await Promise.all(triggers.map((t) => t.check()));
    expect(fired).toEqual([]); // a first start owes nothing for the time before it
    const now = clocks[0].now();

    const nextMonthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1, 2));
    await clocks[0].advance(nextMonthStart);
    await eventually(async () => clocks[1].now() >= nextMonthStart, 10_000, 'the second replica to see the jump');
    await Promise.all(triggers.map((t) => t.check()));

    const closed = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString().slice(0, 7);
    expect(new Set(fired)).toEqual(new Set([closed]));
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 1 });

    triggers.forEach((t) => t.stop());
    await Promise.all(clocks.map((c) => c.stop()));
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it('Redis flushed and the worker down over two month ends: restarted, it fires each missed month once', async () => {
    const prefix = `${env.REDIS_PREFIX}:flush`;
    const fired: string[] = [];
    const start = (clock: Clock) =>
      startTimeTrigger({ name: 'monthly-flush', cadence: 'month', clock, store, logger, pollMs: 60_000, fire: async (b) => void fired.push(monthOf(b)) });
    let clock = await testClock({ redis: redis(), subscriber: redis(), prefix, pollMs: 100, start: new Date(env.TEST_CLOCK_START!) });
    let trigger = start(clock);
    await trigger.check();
    trigger.stop();
    const before = fired.length;
    // The worker is gone; the clock moves two months on; then Redis loses everything.
    const now = clock.now();
    await clock.advance(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 2, 10)));
    const offset = Number(await conns[0].get(`${prefix}:clock:offset-ms`));
    await clock.stop();
    const r = redis();
    for (const key of await r.keys(`${prefix}:*`)) await r.del(key);
    await r.set(`${prefix}:clock:offset-ms`, String(offset)); // the platform's time itself is not Redis state to lose
    clock = await testClock({ redis: redis(), subscriber: redis(), prefix, pollMs: 100 });
    trigger = start(clock);
    await trigger.check();
    await trigger.check();
    trigger.stop();
    await clock.stop();
    const m1 = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString().slice(0, 7);
    const m2 = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 7);
    expect(fired.slice(before)).toEqual([m1, m2]);
  });

  it('a wait for an instant just after a jump ends then, in a process that has not heard of the jump yet', async () => {
    // A run's plan waits for its cutoff; a worker whose clock still reads the month before the
    // jump used to sleep for the span the jump skipped (capped at a minute) and miss the month end.
    const prefix = `${env.REDIS_PREFIX}:stale`;
    const mover = await testClock({ redis: redis(), subscriber: redis(), prefix, pollMs: 100, start: new Date(env.TEST_CLOCK_START!) });
    const stale = await testClock({ redis: redis(), subscriber: redis(), prefix, pollMs: 60_000 });
    await stale.stop(); // deaf from here on: no pub/sub, no poll; only sleepUntil's own read
    const now = mover.now();
    await mover.advance(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1, 0, 0, 5)));
    const cutoff = new Date(mover.now().getTime() + 300);
    expect(stale.now().getTime()).toBeLessThan(cutoff.getTime() - 86_400_000); // it still reads the month before
    await sleepUntil(stale, cutoff);
    expect(stale.now().getTime()).toBeGreaterThanOrEqual(cutoff.getTime());
    expect(stale.now().getTime() - cutoff.getTime()).toBeLessThan(60_000);
    await mover.stop();
  }, 10_000);
});
