import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Connection, Model } from 'mongoose';
import { docSchema, modelOn } from '../stores/doc-schema';
import type { Logger } from '../runtime/logger';
import { startJobWorker } from '../jobs/job-worker';
import { isDuplicateKey } from '../stores/mongo';
import type { Envelope } from './envelope';
import { eventQueueName } from './queues';

export type Handler = (event: Envelope<any>) => Promise<void>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface InboxDoc {
  _id: string;
  type: string;
  at: Date;
}

const inboxSchema = docSchema<InboxDoc>({ type: String, at: Date });

export function inboxModel(conn: Connection): Model<InboxDoc> {
  return modelOn<InboxDoc>(conn, 'Inbox', inboxSchema, 'inbox');
}

/** Thrown at start when an event routed to a consumer has no handler there: it would be dropped. */
export class UnhandledRouteError extends Error {
  constructor(readonly consumer: string, readonly types: string[]) {
    super(`${consumer} has no handler for ${types.join(', ')}, routed to its queue: handle ${types.length > 1 ? 'them' : 'it'} or take ${consumer} off the route`);
  }
}

/** Every event type routed to `consumer` has a handler (the typed handler map says so at build time). */
export function assertHandlesRoutes(consumer: string, routed: readonly string[], handlers: Record<string, Handler>): void {
  const missing = routed.filter((t) => typeof handlers[t] !== 'function');
  if (missing.length) throw new UnhandledRouteError(consumer, missing);
}

/**
 * Consumes this service's event queue. A handled event id is recorded in the service's own
 * inbox, so a redelivered event (re-publish, stalled job) is skipped. Handlers are written
 * to be idempotent too, because a crash can fall between the effect and the inbox write.
 */
export function startConsumer(opts: {
  consumer: string;
  redis: Redis;
  prefix: string;
  connection: Connection;
  handlers: Record<string, Handler>;
  /** The event types routed to this queue: start fails if one has no handler. */
  routed?: readonly string[];
  logger: Logger;
  concurrency?: number;
}): Worker {
  assertHandlesRoutes(opts.consumer, opts.routed ?? [], opts.handlers);
  const inbox = inboxModel(opts.connection);
  const queue = eventQueueName(opts.consumer);
  const worker = startJobWorker<Envelope>(
    {
      queue,
      connection: opts.redis,
      redisPrefix: opts.prefix,
      logger: opts.logger,
      concurrency: opts.concurrency ?? 4,
      origin: (job) => ({ requestId: job.data.requestId, traceparent: job.data.traceparent, name: job.data.type }),
    },
    async (job) => {
      const ev = job.data;
      const handler = opts.handlers[ev.type];
      // Not routed here (an old job after a route changed): nothing to do, but say so.
      if (!handler) {
        opts.logger.warn({ event: ev.type, eventId: ev.id }, 'event without a handler here ignored');
        return 'ignored';
      }
      if (await inbox.exists({ _id: ev.id })) return 'duplicate';
      try {
        await handler(ev);
        await inbox.create({ _id: ev.id, type: ev.type, at: new Date(ev.occurredAt) }).catch((err) => {
          if (!isDuplicateKey(err)) throw err;
        });
        return 'handled';
      } catch (err) {
        opts.logger.warn({ err, event: ev.type, eventId: ev.id, attempt: job.attemptsMade + 1 }, 'event handler failed');
        throw err;
      }
    },
  );
  return worker;
}
