import mongoose, { Schema, type Model } from 'mongoose';
import { Redis } from 'ioredis';
import { createLogger, envelope, insertOnce, isNewerThan, Projector, projectionFields, startConsumer, UnhandledRouteError, type Clock, type Envelope } from '@csp/kernel';
import { isolatedEnv } from '@csp/testkit';

/** The one rule of read models: last writer wins by event order (occurredAt, then id), never by delivery order. */
interface Rel {
  _id: string;
  status?: string;
  distributorIds?: string[];
}

const env = isolatedEnv('projection');
const db = `${env.DB_PREFIX}_projection`;
let conn: mongoose.Connection;
let Rels: Model<Rel>;
let redis: Redis;
let project: Projector;

beforeAll(async () => {
  conn = await mongoose.createConnection(env.MONGO_URL!, { dbName: db, retryWrites: false }).asPromise();
  Rels = conn.model<Rel>('Rel', new Schema<Rel>({ _id: String, status: String, distributorIds: [String], ...projectionFields }, { versionKey: false }), 'rels');
  redis = new Redis(env.REDIS_URL!);
  project = new Projector(redis, env.REDIS_PREFIX!);
});
afterAll(async () => {
  await conn.dropDatabase().catch(() => undefined);
  await conn.close();
  redis.disconnect();
});

const T0 = Date.parse('2026-11-16T09:00:00.000Z');
const clockAt = (ms: number): Clock => ({ now: () => new Date(ms) }) as Clock;
const fact = (status: string, ms: number) => envelope(`relationship.${status}`, { status }, clockAt(ms));
const status = async (id: string) => (await Rels.findById(id).lean())?.status;

it('an older fact delivered after a newer one changes nothing', async () => {
  const revoked = fact('revoked', T0 + 1_000);
  const lateEstablished = fact('established', T0);
  expect(await project.apply(Rels, 'r1', revoked, { $set: { status: 'REVOKED' } })).toBe(true);
  expect(await project.apply(Rels, 'r1', lateEstablished, { $set: { status: 'ACTIVE' } })).toBe(false);
  expect(await status('r1')).toBe('REVOKED');
  // A replay of the same event is not newer than itself.
  expect(await project.apply(Rels, 'r1', revoked, { $set: { status: 'REPLAYED' } })).toBe(false);
  expect(await project.apply(Rels, 'r1', fact('established', T0 + 2_000), { $set: { status: 'ACTIVE' } })).toBe(true);
  expect(await status('r1')).toBe('ACTIVE');
});

it('facts of the same instant keep the order they were raised in (ids are time-ordered)', async () => {
  const first = fact('established', T0);
  const second = fact('revoked', T0);
  expect(first.occurredAt).toBe(second.occurredAt);
  await project.apply(Rels, 'r2', second, { $set: { status: 'REVOKED' } });
  await project.apply(Rels, 'r2', first, { $set: { status: 'ACTIVE' } });
  expect(await status('r2')).toBe('REVOKED');
  expect(isNewerThan(second, { at: new Date(first.occurredAt), eventId: first.id })).toBe(true);
  expect(isNewerThan(first, { at: new Date(second.occurredAt), eventId: second.id })).toBe(false);
});

it('facts applied concurrently in shuffled order leave the newest', async () => {
  // As many at once as a consumer's concurrency and a few replicas deliver.
  const facts = Array.from({ length: 12 }, (_, i) => ({ ev: fact(`s${i}`, T0 + i * 10), value: `S${i}` }));
  const shuffled = [...facts].sort(() => Math.random() - 0.5);
  await Promise.all(shuffled.map((f) => project.apply(Rels, 'r3', f.ev, { $set: { status: f.value } })));
  expect(await status('r3')).toBe('S11');
});

it('an order-free fact accumulates without hiding a later-applied older state fact', async () => {
  // The link arrives first; the onboarding fact (older) must still apply.
  await project.accumulate(Rels, 'r4', { $addToSet: { distributorIds: 'ptn_d1' } });
  expect(await project.apply(Rels, 'r4', fact('onboarded', T0), { $set: { status: 'ONBOARDED' } })).toBe(true);
  await project.accumulate(Rels, 'r4', { $addToSet: { distributorIds: 'ptn_d1' } });
  expect(await Rels.findById('r4').lean()).toMatchObject({ status: 'ONBOARDED', distributorIds: ['ptn_d1'] });
});

it('a fact written once under its own key is written once', async () => {
  expect(await insertOnce(Rels, { _id: 'once', status: 'FIRST' })).toBe(true);
  expect(await insertOnce(Rels, { _id: 'once', status: 'SECOND' })).toBe(false);
  expect(await status('once')).toBe('FIRST');
});

describe('a routed event without a handler', () => {
  it('stops the consumer from starting, naming the event', () => {
    const noop = async (_ev: Envelope) => undefined;
    let err: unknown;
    try {
      startConsumer({
        consumer: 'billing',
        redis,
        prefix: env.REDIS_PREFIX!,
        connection: conn,
        handlers: { 'partner.onboarded': noop },
        routed: ['partner.onboarded', 'market.upserted'],
        logger: createLogger('test', 'silent'),
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnhandledRouteError);
    expect((err as Error).message).toContain('billing has no handler for market.upserted');
  });
});
