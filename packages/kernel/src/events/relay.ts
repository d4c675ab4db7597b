import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Model } from 'mongoose';
import type { Logger } from '../runtime/logger';
import { withLock } from '../stores/lock';
import type { Envelope } from './envelope';
import { bullPrefix, defaultJobOptions, eventQueueName } from './queues';

export type Router = (type: string) => readonly string[];

interface WithOutbox {
  _id: string;
  outbox?: Envelope[];
}

/**
 * Moves events from documents' embedded outboxes onto the consumers' queues (job id = event
 * id, so a re-publish after a crash is ignored), then pulls them off the document under the
 * aggregate's lock. Runs in every process that writes; replicas may overlap harmlessly.
 */
export class OutboxRelay {
  private readonly queues = new Map<string, Queue>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(
    private readonly opts: {
      redis: Redis;
      prefix: string;
      models: Model<any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
      route: Router;
      logger: Logger;
      pollMs?: number;
    },
  ) {}

  start(): this {
    const tick = () => {
      if (this.stopped) return;
      this.kick();
      this.timer = setTimeout(tick, this.opts.pollMs ?? 250);
      this.timer.unref();
    };
    tick();
    return this;
  }

  /** Relay now (after a write) instead of waiting for the next poll. Resolves when drained. */
  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        for (const model of this.opts.models) await this.drain(model);
      } while (this.again && !this.stopped);
    })()
      .catch((err) => this.opts.logger.error({ err }, 'outbox relay failed; will retry'))
      .finally(() => (this.running = undefined));
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

  private async drain(model: Model<WithOutbox>): Promise<void> {
    const docs = await model.find({ 'outbox.0': { $exists: true } }, { outbox: 1 }).limit(200).lean<WithOutbox[]>();
    // One addBulk per consumer queue for the whole batch, not one Redis round trip per event.
    const jobs = new Map<string, Array<{ name: string; data: Envelope; opts: { jobId: string } }>>();
    for (const ev of docs.flatMap((d) => d.outbox ?? [])) {
      for (const consumer of this.opts.route(ev.type)) {
        jobs.set(consumer, [...(jobs.get(consumer) ?? []), { name: ev.type, data: ev, opts: { jobId: ev.id } }]);
      }
    }
    for (const [consumer, batch] of jobs) await this.queue(consumer).addBulk(batch);
    for (const doc of docs) {
      // $pullAll by whole value: FerretDB v1's $pull matches exact values only, not conditions.
      await withLock(this.opts.redis, lockKey(this.opts.prefix, model.collection.name, doc._id), () =>
        model.collection.updateOne({ _id: doc._id as never }, { $pullAll: { outbox: doc.outbox ?? [] } } as never),
      );
    }
    if (docs.length === 200) this.again = true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}

/** The lock every writer of one aggregate document takes (domain mutations and the relay). */
export const lockKey = (prefix: string, collection: string, id: string) => `${prefix}:lock:${collection}:${id}`;
