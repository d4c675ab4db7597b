import mongoose, { type Model } from 'mongoose';
import { Redis } from 'ioredis';
import { aggregateLocks, AggregateStore, docSchema, envelope, modelOn, outboxField, type Clock, type Envelope } from '@csp/kernel';
import { isolatedEnv } from '@csp/testkit';

/** The one write path of an aggregate: one document write with its events, under its lock. */
interface Thing {
  _id: string;
  name: string;
  owner?: string;
  log: Array<{ at: Date; what: string }>;
  updatedAt?: Date;
  outbox: Envelope[];
}

const env = isolatedEnv('aggregate-store');
const AT = new Date('2026-05-04T10:00:00Z');
const clock = { now: () => new Date(AT) } as Clock;
let conn: mongoose.Connection;
let redis: Redis;
let things: Model<Thing>;
let store: AggregateStore<Thing>;

beforeAll(async () => {
  conn = await mongoose.createConnection(env.MONGO_URL!, { dbName: `${env.DB_PREFIX}_aggregate_store`, retryWrites: false }).asPromise();
  redis = new Redis(env.REDIS_URL!);
  things = modelOn<Thing>(conn, 'Thing', docSchema<Thing>({ name: String, owner: String, log: [{ _id: false, at: Date, what: String }], updatedAt: Date, outbox: outboxField() }), 'things');
  store = new AggregateStore(things, aggregateLocks(redis, env.REDIS_PREFIX!), clock, { missing: (id) => new Error(`no thing ${id}`) });
});
afterAll(async () => {
  await conn.dropDatabase().catch(() => undefined);
  await conn.close();
  redis.disconnect();
});

it('writes the change, its log entry and its events in one document, and answers the new state', async () => {
  await things.create({ _id: 'th1', name: 'one', owner: 'ann', log: [], outbox: [] });
  const next = await store.change('th1', (doc) => ({
    set: { name: `${doc.name}!` },
    unset: ['owner'],
    push: (at) => ({ log: { at, what: 'renamed' } }),
    events: (at) => [envelope('thing.renamed', { id: doc._id, at: at.toISOString() }, clock)],
  }));
  const stored = (await things.findById('th1').lean<Thing>())!;
  expect(next).toMatchObject({ name: 'one!', log: [{ what: 'renamed' }], updatedAt: clock.now() });
  expect(next.owner).toBeUndefined();
  expect(stored).toMatchObject({ name: 'one!', log: [{ what: 'renamed', at: clock.now() }], updatedAt: clock.now() });
  expect(stored.owner).toBeUndefined();
  expect(stored.outbox.map((e) => e.type)).toEqual(['thing.renamed']);
});

it('writes nothing when the decision is no change, and says when the aggregate does not exist', async () => {
  await things.create({ _id: 'th2', name: 'two', log: [], outbox: [] });
  expect(await store.change('th2', () => null)).toMatchObject({ name: 'two' });
  expect((await things.findById('th2').lean<Thing>())!.updatedAt).toBeUndefined();
  await expect(store.change('th-missing', () => ({ set: { name: 'x' } }))).rejects.toThrow('no thing th-missing');
});

it('serialises concurrent changes of one aggregate: none is lost', async () => {
  await things.create({ _id: 'th3', name: '', log: [], outbox: [] });
  await Promise.all(['a', 'b', 'c', 'd', 'e'].map((letter) => store.change('th3', (doc) => ({ set: { name: doc.name + letter } }))));
  expect([...(await things.findById('th3').lean<Thing>())!.name].sort().join('')).toBe('abcde');
});
