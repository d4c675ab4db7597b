import mongoose, { type Model } from 'mongoose';
import { Redis } from 'ioredis';
import { bumpOnWrite, changesCache, docSchema, modelOn, redisKeys, VersionedCache } from '@csp/kernel';
import { isolatedEnv } from '@csp/testkit';

/**
 * A value cached per process is never read stale after a write: two "replicas" (two
 * connections, two caches of one Redis version key) and every kind of model write on one of them.
 */
interface Entry {
  _id: string;
  name: string;
}

const env = isolatedEnv('versioned-cache');
const schema = docSchema<Entry>({ name: String });
changesCache(schema, 'entries');
const key = redisKeys(env.REDIS_PREFIX!).cacheVersion('test', 'entries');

interface Replica {
  conn: mongoose.Connection;
  entries: Model<Entry>;
  cache: VersionedCache<string[]>;
  loads: number;
}
let redis: Redis;
let a: Replica;
let b: Replica;

async function replica(): Promise<Replica> {
  const conn = await mongoose.createConnection(env.MONGO_URL!, { dbName: `${env.DB_PREFIX}_versioned_cache`, retryWrites: false }).asPromise();
  const entries = modelOn<Entry>(conn, 'Entry', schema, 'entries');
  const r: Replica = { conn, entries, loads: 0, cache: undefined as never };
  r.cache = new VersionedCache(redis, key, async () => {
    r.loads++;
    return (await entries.find().sort({ _id: 1 }).lean<Entry[]>()).map((e) => e.name);
  });
  bumpOnWrite(conn, 'entries', r.cache);
  return r;
}

beforeAll(async () => {
  redis = new Redis(env.REDIS_URL!);
  a = await replica();
  b = await replica();
});
afterAll(async () => {
  await a.conn.dropDatabase().catch(() => undefined);
  await Promise.all([a.conn.close(), b.conn.close()]);
  await redis.del(key);
  redis.disconnect();
});

it('reads the store once while nothing changes', async () => {
  await a.entries.create({ _id: 'e1', name: 'one' });
  expect(await b.cache.get()).toEqual(['one']);
  const loads = b.loads;
  for (let i = 0; i < 5; i++) expect(await b.cache.get()).toEqual(['one']);
  expect(b.loads).toBe(loads);
});

it.each([
  ['create', () => a.entries.create({ _id: 'e2', name: 'two' }), ['one', 'two']],
  ['insertMany', () => a.entries.insertMany([{ _id: 'e3', name: 'three' }]), ['one', 'two', 'three']],
  ['updateOne', () => a.entries.updateOne({ _id: 'e1' }, { $set: { name: 'uno' } }), ['uno', 'two', 'three']],
  ['updateMany', () => a.entries.updateMany({}, { $set: { name: 'same' } }), ['same', 'same', 'same']],
  ['findOneAndUpdate', () => a.entries.findOneAndUpdate({ _id: 'e2' }, { $set: { name: 'dos' } }), ['same', 'dos', 'same']],
  ['document save', async () => {
    const doc = (await a.entries.findById('e3'))!;
    doc.name = 'tres';
    await doc.save();
  }, ['same', 'dos', 'tres']],
  ['deleteOne', () => a.entries.deleteOne({ _id: 'e1' }), ['dos', 'tres']],
  ['deleteMany', () => a.entries.deleteMany({ _id: 'e2' }), ['tres']],
])('a %s on one replica is in the other replica\'s next read', async (_what, write, expected) => {
  await b.cache.get(); // b holds the value from before the write
  await write();
  expect(await b.cache.get()).toEqual(expected);
  expect(await a.cache.get()).toEqual(expected);
});
