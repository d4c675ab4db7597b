import { connectMongo, duplicatesOf, type MongoStore } from '@csp/kernel';
import { isolatedEnv } from '@csp/testkit';

/** An unordered insert whose only failures are repeats: how many and which, from the store's answer. */
const env = isolatedEnv('duplicates');
let store: MongoStore;
beforeAll(async () => {
  store = await connectMongo(env.MONGO_URL!, `${env.DB_PREFIX}_duplicates`);
});
afterAll(async () => {
  await store.connection.dropDatabase().catch(() => undefined);
  await store.close();
});

it('names the repeated documents of an unordered insert, and nothing for other failures', async () => {
  const things = store.connection.collection<{ _id: string }>('things');
  await things.insertMany([{ _id: 'a' }, { _id: 'c' }]);
  const err = await things.insertMany([{ _id: 'a' }, { _id: 'b' }, { _id: 'c' }, { _id: 'd' }], { ordered: false }).then(() => undefined, (e: unknown) => e);
  expect(duplicatesOf(err)).toEqual({ count: 2, indexes: new Set([0, 2]) });
  // The other documents went in.
  expect((await things.find().sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual(['a', 'b', 'c', 'd']);
  expect(duplicatesOf(new Error('connection reset'))).toBeUndefined();
  expect(duplicatesOf({ writeErrors: [{ code: 11000, index: 0 }, { code: 121, index: 1 }] })).toBeUndefined();
});
