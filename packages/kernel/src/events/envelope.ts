import { v7 as uuidv7 } from 'uuid';
import { Schema } from 'mongoose';
import { required } from '../stores/doc-schema';
import type { Clock } from '../runtime/clock';
import { currentRequest, currentRequestId } from '../runtime/request-context';
import { currentTraceparent } from '../runtime/trace-context';

/** One domain event or command as it travels between services. */
export interface Envelope<T = unknown> {
  /**
   * Globally unique; BullMQ job id and the consumer's idempotency key. Time-ordered (UUIDv7,
   * monotonic within a process), so it breaks ties between facts of the same instant.
   */
  id: string;
  type: string;
  occurredAt: string;
  requestId?: string;
  /** W3C trace context of the work that raised it; its consumers' spans continue that trace. */
  traceparent?: string;
  payload: T;
}

export function envelope<T>(type: string, payload: T, clock: Clock, id: string = uuidv7()): Envelope<T> {
  const ctx = currentRequest();
  // Read-your-writes: the events a client's request writes are what its next requests wait for.
  if (ctx?.source === 'http') (ctx.written ??= []).push(`${type}:${id}`);
  const traceparent = currentTraceparent();
  return { id, type, occurredAt: clock.now().toISOString(), requestId: currentRequestId(), ...(traceparent ? { traceparent } : {}), payload };
}

/**
 * Embedded outbox: events are written in the same single-document write as the change they
 * describe (no transactions needed), then relayed to queues and pulled off by OutboxRelay.
 */
export const outboxSchema = new Schema<Envelope>(
  {
    id: required(String),
    type: required(String),
    occurredAt: required(String),
    requestId: String,
    traceparent: String,
    payload: Schema.Types.Mixed,
  },
  { _id: false },
);

/** A document's outbox field: the events its write publishes (the relay sends and removes them). */
export const outboxField = () => ({ type: [outboxSchema], default: [] });
