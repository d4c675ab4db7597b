import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import mongoose, { Schema, type Model } from 'mongoose';
import { Redis } from 'ioredis';
import type { Worker } from 'bullmq';
import { createLogger, currentRequestId, forwardOutboxWrites, OutboxRelay, outboxFlagPlugin, outboxSchema, startConsumer, type Envelope } from '@csp/kernel';
import { isolatedEnv } from '@csp/testkit';

interface Thing {
  _id: string;
  name: string;
  outbox: Envelope[];
}

const env = isolatedEnv('outbox');
// No relay here relies on its safety sweep unless a test says so: wake-ups carry the events.
const HOUR = 3_600_000;
const db = `${env.DB_PREFIX}_outbox`;
const logger = createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent');
let conn: mongoose.Connection;
let Things: Model<Thing>;
let redis: Redis;
let workerRedis: Redis;
const handled: string[] = [];
const requestIds = new Map<string, string | undefined>();
let relay: OutboxRelay | undefined;
let consumer: Worker | undefined;

beforeAll(async () => {
  conn = await mongoose.createConnection(env.MONGO_URL!, { dbName: db, retryWrites: false, monitorCommands: true }).asPromise();
  conn.plugin(outboxFlagPlugin); // as connectMongo does for every service
  Things = conn.model<Thing>('Thing', new Schema<Thing>({ _id: String, name: String, outbox: [outboxSchema] }), 'things');
  redis = new Redis(env.REDIS_URL!);
  workerRedis = new Redis(env.REDIS_URL!, { maxRetriesPerRequest: null });
});

afterAll(async () => {
  await relay?.stop();
  await consumer?.close();
  await conn.dropDatabase().catch(() => undefined);
  await conn.close();
  redis.disconnect();
  workerRedis.disconnect();
});

function killedPublisher(docId: string, eventId: string, stage: 'written' | 'enqueued'): Promise<NodeJS.Signals | null> {
  const child = spawn(
    process.execPath,
    [path.join(__dirname, 'fixtures/publisher-dies.js'), env.MONGO_URL!, db, env.REDIS_URL!, env.REDIS_PREFIX!, docId, eventId, stage],
    { stdio: 'inherit' },
  );
  return new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
}

async function until(cond: () => Promise<boolean> | boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function startRelayAndConsumer() {
  relay = new OutboxRelay({ redis, prefix: env.REDIS_PREFIX!, models: [Things], route: () => ['test'], logger, sweepMs: HOUR }).start();
  consumer = startConsumer({
    consumer: 'test',
    redis: workerRedis,
    prefix: env.REDIS_PREFIX!,
    connection: conn,
    logger,
    handlers: {
      'thing.created': async (ev) => {
        handled.push(ev.id);
        requestIds.set(ev.id, currentRequestId());
      },
    },
  });
}

describe('outbox: no event lost or doubled when the publisher dies', () => {
  it('delivers exactly once an event whose publisher was killed right after the store write', async () => {
    const eventId = randomUUID();
    expect(await killedPublisher('thing-1', eventId, 'written')).toBe('SIGKILL');
    // The write survived the crash with its event still in the outbox; nothing was queued.
    expect((await Things.findById('thing-1').lean())?.outbox.map((e) => e.id)).toEqual([eventId]);

    startRelayAndConsumer();
    await until(() => handled.includes(eventId));
    await until(async () => (await Things.findById('thing-1').lean())!.outbox.length === 0);
    await relay!.kick(); // another pass over flagged documents: must not deliver again
    expect(handled.filter((id) => id === eventId)).toHaveLength(1);
  });

  it('delivers exactly once when the publisher died after enqueueing but before clearing the outbox', async () => {
    const eventId = randomUUID();
    await relay?.stop();
    relay = undefined;
    expect(await killedPublisher('thing-2', eventId, 'enqueued')).toBe('SIGKILL');
    await until(() => handled.includes(eventId)); // the consumer got the queued job
    relay = new OutboxRelay({ redis, prefix: env.REDIS_PREFIX!, models: [Things], route: () => ['test'], logger, sweepMs: HOUR }).start();
    await until(async () => (await Things.findById('thing-2').lean())!.outbox.length === 0);
    await relay.kick();
    expect(handled.filter((id) => id === eventId)).toHaveLength(1);
  });

  it('runs the consumer inside the request id the event was written with', async () => {
    const eventId = randomUUID();
    await Things.create({ _id: 'thing-rid', name: 'x', outbox: [{ id: eventId, type: 'thing.created', occurredAt: new Date(0).toISOString(), requestId: 'req-from-gateway', payload: {} }] });
    await until(() => handled.includes(eventId));
    expect(requestIds.get(eventId)).toBe('req-from-gateway');
  });

  it('skips a redelivered event whose job had already been removed', async () => {
    const eventId = randomUUID();
    await Things.create({ _id: 'thing-3', name: 'x', outbox: [{ id: eventId, type: 'thing.created', occurredAt: new Date(0).toISOString(), payload: {} }] });
    await until(() => handled.includes(eventId));
    const { Queue } = await import('bullmq');
    const q = new Queue('events-test', { connection: redis, prefix: `${env.REDIS_PREFIX}:bull` });
    await until(async () => (await q.getJob(eventId))?.finishedOn !== undefined);
    // The job is purged (retention), then the same event is relayed again (a stale relay re-read):
    // a new job with the same id runs, and the consumer's inbox skips it.
    await (await q.getJob(eventId))?.remove();
    await Things.updateOne({ _id: 'thing-3' }, { $push: { outbox: { id: eventId, type: 'thing.created', occurredAt: new Date(0).toISOString(), payload: {} } } });
    await until(async () => (await Things.findById('thing-3').lean())!.outbox.length === 0);
    await until(async () => (await q.getJob(eventId))?.finishedOn !== undefined);
    await q.close();
    expect(handled.filter((id) => id === eventId)).toHaveLength(1);
  });
});

describe('outbox: the relay is woken by writes, not by polling the store', () => {
  const finds = () => {
    const seen: unknown[] = [];
    const client = conn.getClient();
    const on = (e: { commandName: string; command: Record<string, unknown> }) => void (e.commandName === 'find' && e.command.find === 'things' && seen.push(e.command.filter));
    client.on('commandStarted', on);
    return { seen, stop: () => client.off('commandStarted', on) };
  };

  it('relays a write at once, reads only that document by _id, and clears its flag', async () => {
    const eventId = randomUUID();
    const f = finds();
    await Things.create({ _id: 'thing-woken', name: 'x', outbox: [{ id: eventId, type: 'thing.created', occurredAt: new Date(0).toISOString(), payload: {} }] });
    await until(() => handled.includes(eventId));
    await until(async () => (await Things.collection.findOne({ _id: 'thing-woken' as never }))?.hasOutbox === undefined);
    f.stop();
    expect(f.seen.filter((q) => JSON.stringify(q).includes('thing-woken'))).toContainEqual({ _id: 'thing-woken' });
    expect(f.seen.filter((q) => JSON.stringify(q).includes('outbox.0'))).toEqual([]);
  });

  it('sends no query for outbox documents while nothing is written', async () => {
    const f = finds();
    await new Promise((r) => setTimeout(r, 1_500)); // an idle stretch is the behaviour under test
    f.stop();
    expect(f.seen).toEqual([]);
  });

  it('is woken through Redis by a write in a process with no relay of its own', async () => {
    const other = await mongoose.createConnection(env.MONGO_URL!, { dbName: db, retryWrites: false }).asPromise();
    other.plugin(outboxFlagPlugin);
    const stop = forwardOutboxWrites(other, redis, env.REDIS_PREFIX!);
    const OtherThings = other.model<Thing>('Thing', new Schema<Thing>({ _id: String, name: String, outbox: [outboxSchema] }), 'things');
    const eventId = randomUUID();
    await OtherThings.create({ _id: 'thing-remote', name: 'x', outbox: [{ id: eventId, type: 'thing.created', occurredAt: new Date(0).toISOString(), payload: {} }] });
    await until(() => handled.includes(eventId));
    stop();
    await other.close();
  });

  it('its safety sweep finds a flagged document whose wake-up was lost', async () => {
    const eventId = randomUUID();
    // Written around the hooks (as by a crashed writer's last command): flag and event, no wake-up.
    await Things.collection.insertOne({ _id: 'thing-lost' as never, name: 'x', hasOutbox: true, outbox: [{ id: eventId, type: 'thing.created', occurredAt: new Date(0).toISOString(), payload: {} }] });
    await new Promise((r) => setTimeout(r, 300));
    expect(handled).not.toContain(eventId);
    await relay!.kick(); // what the periodic sweep runs
    await until(() => handled.includes(eventId));
    expect((await Things.collection.findOne({ _id: 'thing-lost' as never }))?.outbox).toEqual([]);
  });
});
