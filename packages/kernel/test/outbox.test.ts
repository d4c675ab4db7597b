import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import mongoose, { Schema, type Model } from 'mongoose';
import { Redis } from 'ioredis';
import type { Worker } from 'bullmq';
import { createLogger, currentRequestId, OutboxRelay, outboxSchema, startConsumer, type Envelope } from '@csp/kernel';
import { isolatedEnv } from '@csp/testkit';

interface Thing {
  _id: string;
  name: string;
  outbox: Envelope[];
}

const env = isolatedEnv('outbox');
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
  conn = await mongoose.createConnection(env.MONGO_URL!, { dbName: db, retryWrites: false }).asPromise();
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
  relay = new OutboxRelay({ redis, prefix: env.REDIS_PREFIX!, models: [Things], route: () => ['test'], logger, pollMs: 100 }).start();
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
    await new Promise((r) => setTimeout(r, 500)); // more relay polls: must not deliver again
    expect(handled.filter((id) => id === eventId)).toHaveLength(1);
  });

  it('delivers exactly once when the publisher died after enqueueing but before clearing the outbox', async () => {
    const eventId = randomUUID();
    await relay?.stop();
    relay = undefined;
    expect(await killedPublisher('thing-2', eventId, 'enqueued')).toBe('SIGKILL');
    await until(() => handled.includes(eventId)); // the consumer got the queued job
    relay = new OutboxRelay({ redis, prefix: env.REDIS_PREFIX!, models: [Things], route: () => ['test'], logger, pollMs: 100 }).start();
    await until(async () => (await Things.findById('thing-2').lean())!.outbox.length === 0);
    await new Promise((r) => setTimeout(r, 500));
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
    // Same event again, as after a job-retention purge and a stale relay re-read.
    await Things.updateOne({ _id: 'thing-3' }, { $push: { outbox: { id: eventId, type: 'thing.created', occurredAt: new Date(0).toISOString(), payload: {} } } });
    const { Queue } = await import('bullmq');
    const q = new Queue('events-test', { connection: redis, prefix: `${env.REDIS_PREFIX}:bull` });
    await until(async () => (await q.getJob(eventId))?.finishedOn !== undefined);
    await (await q.getJob(eventId))?.remove();
    await until(async () => (await Things.findById('thing-3').lean())!.outbox.length === 0);
    await until(async () => (await q.getJob(eventId))?.finishedOn !== undefined);
    await q.close();
    expect(handled.filter((id) => id === eventId)).toHaveLength(1);
  });
});
