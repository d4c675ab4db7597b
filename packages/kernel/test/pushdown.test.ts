import mongoose, { Schema } from 'mongoose';
import { connectMongo, type MongoStore } from '@csp/kernel';
import { isolatedEnv } from '@csp/testkit';

/** Filters reach the store in the form FerretDB's PostgreSQL backend pushes down, with the same answers. */
const env = isolatedEnv('pushdown');
let store: MongoStore;
interface Thing {
  _id: string;
  tags: string[];
  n?: number;
}
let Things: mongoose.Model<Thing>;

beforeAll(async () => {
  store = await connectMongo(env.MONGO_URL!, `${env.DB_PREFIX}_pushdown`);
  Things = store.connection.model<Thing>('Thing', new Schema<Thing>({ _id: String, tags: [String], n: Number }), 'things');
  await Things.insertMany([
    { _id: 'a', tags: ['x', 'y'], n: 1 },
    { _id: 'b', tags: ['y'] },
    { _id: 'c', tags: [], n: 3 },
  ]);
});
afterAll(async () => {
  await store.connection.dropDatabase().catch(() => undefined);
  await store.close();
});

function sentFilters(): { filters: unknown[]; stop(): void } {
  const filters: unknown[] = [];
  const client = store.connection.getClient();
  const on = (e: { commandName: string; command: Record<string, unknown> }) => void (e.commandName === 'find' && filters.push(e.command.filter));
  client.on('commandStarted', on);
  return { filters, stop: () => client.off('commandStarted', on) };
}

it('sends a one-value $in as the equality it means, with the same matches', async () => {
  const seen = sentFilters();
  expect((await Things.find({ _id: { $in: ['b'] } }).lean()).map((d) => d._id)).toEqual(['b']);
  expect((await Things.find({ tags: { $in: ['y'] } }).sort({ _id: 1 }).lean()).map((d) => d._id)).toEqual(['a', 'b']); // array contains
  expect((await Things.find({ n: { $in: [null] } }).lean()).map((d) => d._id)).toEqual(['b']); // null: missing field, left as $in
  seen.stop();
  expect(seen.filters.slice(0, 2)).toEqual([{ _id: 'b' }, { tags: 'y' }]);
  expect(seen.filters[2]).toEqual({ n: { $in: [null] } });
});

it('leaves $in of several values alone', async () => {
  const seen = sentFilters();
  expect((await Things.find({ _id: { $in: ['a', 'c'] } }).sort({ _id: 1 }).lean()).map((d) => d._id)).toEqual(['a', 'c']);
  seen.stop();
  expect(seen.filters).toEqual([{ _id: { $in: ['a', 'c'] } }]);
});

it('sends a top-level $and of different fields flat, and keeps the parts that name the same field', async () => {
  const seen = sentFilters();
  expect((await Things.find({ $and: [{ _id: { $in: ['a'] } }, { $or: [{ n: 1 }, { n: 3 }] }] }).lean()).map((d) => d._id)).toEqual(['a']);
  expect((await Things.find({ $and: [{ tags: 'y' }, { $and: [{ n: { $exists: false } }] }] }).lean()).map((d) => d._id)).toEqual(['b']);
  expect((await Things.find({ $and: [{ n: { $gte: 1 } }, { n: { $lte: 2 } }] }).lean()).map((d) => d._id)).toEqual(['a']);
  seen.stop();
  expect(seen.filters).toEqual([
    { _id: 'a', $or: [{ n: 1 }, { n: 3 }] },
    { tags: 'y', n: { $exists: false } },
    { n: { $gte: 1 }, $and: [{ n: { $lte: 2 } }] },
  ]);
});
