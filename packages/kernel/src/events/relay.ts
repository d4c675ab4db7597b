import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Model } from 'mongoose';
import type { Logger } from '../runtime/logger';
import { withLock } from '../stores/lock';
import { redisKeys } from '../stores/redis-keys';
import { closeRedis } from '../stores/redis';
import { claimRelayed, onOutboxWrite, outboxChannel, OUTBOX_FLAG, type OutboxWrite } from './outbox-signal';
import type { Envelope } from './envelope';
import { bullPrefix, defaultJobOptions, eventQueueName } from './queues';

export type Router = (type: string) => readonly string[];

interface WithOutbox {
  _id: string;
  outbox?: Envelope[];
}

/** What the next pass drains per model: the documents named by wake-ups, or every flagged one. */
type Pending = Set<string> | 'flagged' | 'legacy';

/**
 * Moves events from documents' embedded outboxes onto the consumers' queues (job id = event
 * id, so a re-publish after a crash is ignored), then pulls them off the document under the
 * aggregate's lock. Runs in every process that writes; replicas may overlap harmlessly.
 *
 * No polling: a write that adds outbox entries wakes the relay of its process directly (the
 * `outboxFlagPlugin` post hooks), and other processes through Redis pub/sub; the relay then
 * reads just those documents by `_id`. A slow safety sweep (every `sweepMs`) looks for the
 * indexed `hasOutbox` flag, for events whose wake-up was lost (a crash, a dropped message).
 */
export class OutboxRelay {
  private readonly queues = new Map<string, Queue>();
  private readonly pending = new Map<Model<WithOutbox>, Pending>();
  private readonly byCollection = new Map<string, Model<WithOutbox>>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private unsubscribe: Array<() => void> = [];
  private subscriber?: Redis;
  private readonly legacyDone = new Set<Model<WithOutbox>>();

  constructor(
    private readonly opts: {
      redis: Redis;
      prefix: string;
      models: Model<any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
      route: Router;
      logger: Logger;
      /** Safety sweep period (default 30 s; processes pass their OUTBOX_SWEEP_MS). */
      sweepMs?: number;
    },
  ) {
    for (const m of opts.models) this.byCollection.set(m.collection.name, m);
  }

  start(): this {
    const conns = new Set(this.opts.models.map((m) => m.db));
    for (const conn of conns) {
      claimRelayed(conn, this.opts.models.filter((m) => m.db === conn).map((m) => m.collection.name));
      this.unsubscribe.push(onOutboxWrite(conn, (w) => this.wake(w)));
    }
    // Other processes' writes of these collections arrive over Redis.
    const sub = (this.subscriber = this.opts.redis.duplicate());
    sub.on('error', () => undefined);
    const channels = new Map([...conns].map((c) => [outboxChannel(this.opts.prefix, c.name), c]));
    sub.on('message', (channel: string, message: string) => {
      if (!channels.has(channel)) return;
      try {
        this.wake(JSON.parse(message) as OutboxWrite);
      } catch {
        // not ours
      }
    });
    void sub.subscribe(...channels.keys()).catch((err) => this.opts.logger.warn({ err }, 'outbox relay: no Redis wake-ups; sweeping only'));
    // First pass: documents written before the flag existed (or by an older version) too.
    for (const m of this.opts.models) this.pending.set(m, 'legacy');
    const period = this.opts.sweepMs ?? 30_000;
    const tick = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        void this.kick();
        tick();
      }, period);
      this.timer.unref();
    };
    void this.run();
    tick();
    return this;
  }

  /** A write added outbox entries to these documents (ids unknown: every flagged one). */
  wake(w: OutboxWrite): void {
    const model = this.byCollection.get(w.collection);
    if (!model || this.stopped) return;
    const cur = this.pending.get(model);
    if (cur === 'flagged' || cur === 'legacy') {
      // already a wider pass
    } else if (!w.ids) this.pending.set(model, 'flagged');
    else {
      const set = cur ?? new Set<string>();
      for (const id of w.ids) set.add(id);
      this.pending.set(model, set);
    }
    void this.run();
  }

  /** Relay every flagged document now. Resolves when drained. */
  kick(): Promise<void> {
    for (const m of this.opts.models) if (this.pending.get(m) !== 'legacy') this.pending.set(m, 'flagged');
    return this.run();
  }

  private run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        const work = [...this.pending];
        this.pending.clear();
        for (const [model, what] of work) await this.drain(model, what);
      } while ((this.again || this.pending.size > 0) && !this.stopped);
    })().then(
      () => {
        this.running = undefined;
        // A wake that came after the loop's last check but before this line found the relay
        // still "running" and only left its documents pending: run again, or they would wait
        // for the slow sweep (a client's next request then timed out waiting for its events).
        if (this.pending.size > 0 && !this.stopped) void this.run();
      },
      (err) => {
        this.running = undefined;
        this.opts.logger.error({ err }, 'outbox relay failed; retrying in a second');
        for (const m of this.opts.models) if (!this.pending.has(m)) this.pending.set(m, this.legacyDone.has(m) ? 'flagged' : 'legacy');
        // A store or Redis hiccup must not hold events back until the slow sweep.
        if (!this.stopped) setTimeout(() => void this.run(), 1_000).unref();
      },
    );
    return this.running;
  }

  private queue(consumer: string): Queue {
    let q = this.queues.get(consumer);
    if (!q) {
      q = new Queue(eventQueueName(consumer), { connection: this.opts.redis, prefix: bullPrefix(this.opts.prefix), defaultJobOptions });
      this.queues.set(consumer, q);
    }
    return q;
  }

  private async drain(model: Model<WithOutbox>, what: Pending): Promise<void> {
    const ids = what instanceof Set ? [...what] : [];
    // Equality on _id and on the top-level flag: filters FerretDB pushes down to its backend.
    const filter =
      what === 'legacy'
        ? { $or: [{ [OUTBOX_FLAG]: true }, { 'outbox.0': { $exists: true } }] }
        : what === 'flagged'
          ? { [OUTBOX_FLAG]: true }
          : ids.length === 1
            ? { _id: ids[0] }
            : { _id: { $in: ids } };
    const found = await model.find(filter, { outbox: 1, [OUTBOX_FLAG]: 1 }).limit(200).lean<Array<WithOutbox & { hasOutbox?: boolean }>>();
    // A document woken twice may have been drained already: nothing to send, nothing to clear.
    const docs = found.filter((d) => d.outbox?.length || d.hasOutbox);
    // One addBulk per consumer queue for the whole batch, not one Redis round trip per event; the
    // queues side by side (no consumer waits for another's hand-off).
    const jobs = new Map<string, Array<{ name: string; data: Envelope; opts: { jobId: string } }>>();
    for (const ev of docs.flatMap((d) => d.outbox ?? [])) {
      for (const consumer of this.opts.route(ev.type)) {
        jobs.set(consumer, [...(jobs.get(consumer) ?? []), { name: ev.type, data: ev, opts: { jobId: ev.id } }]);
      }
    }
    await Promise.all([...jobs].map(([consumer, batch]) => this.queue(consumer).addBulk(batch)));
    for (const doc of docs) {
      const sent = doc.outbox ?? [];
      await withLock(this.opts.redis, lockKey(this.opts.prefix, model.collection.name, doc._id), async () => {
        // Nothing new since the read: empty the outbox and drop the flag in one write. Else pull
        // what was sent ($pullAll by whole value: FerretDB v1's $pull matches exact values only).
        const c = model.collection;
        const done = await c.updateOne({ _id: doc._id, outbox: sent } as never, { $set: { outbox: [] }, $unset: { [OUTBOX_FLAG]: '' } } as never);
        if (done.matchedCount === 0 && sent.length) await c.updateOne({ _id: doc._id as never }, { $pullAll: { outbox: sent } } as never);
        // Short and renewed: a relay killed here holds the aggregate up for 2 s, not the default
        // 10 (a restarted catalog's seed gave up waiting for its markets and exited).
      }, { ttlMs: 2_000, renew: true });
    }
    if (found.length === 200) this.pending.set(model, what === 'legacy' ? 'legacy' : 'flagged');
    else if (what === 'legacy') this.legacyDone.add(model);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const u of this.unsubscribe) u();
    await this.running;
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    if (this.subscriber) await closeRedis(this.subscriber);
  }
}

/** The lock every writer of one aggregate document takes (domain mutations and the relay). */
export const lockKey = (prefix: string, collection: string, id: string) => redisKeys(prefix).lock(collection, id);
