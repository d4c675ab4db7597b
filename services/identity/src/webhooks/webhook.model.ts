import { outboxField, type Envelope, docSchema, modelOn } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

/** An endpoint a partner (ownerId = its partner id) or the operator (ownerId `operator`) registered. */
export interface WebhookEndpointDoc {
  _id: string;
  ownerId: string;
  url: string;
  eventTypes: string[];
  /** Signing secret: needed in clear to sign, shown to the owner once. */
  secret: string;
  /** After a rotation: the old secret, still signing until previousSecretUntil (overlap). */
  previousSecret?: string;
  previousSecretUntil?: Date;
  enabled: boolean;
  createdBy: string;
  createdAt: Date;
  /** First failed attempt since the last success: a day of that disables the endpoint. */
  failingSince?: Date;
  disabledAt?: Date;
  outbox: Envelope[];
}

export type DeliveryStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED';

export interface AttemptLog {
  at: Date;
  responseCode?: number;
  error?: string;
  durationMs: number;
}

/** One event for one endpoint (id: deterministic per endpoint and event), with every attempt. */
export interface WebhookDeliveryDoc {
  _id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  /** The exact JSON body sent (the same bytes on every attempt and redelivery). */
  body: string;
  status: DeliveryStatus;
  attempts: number;
  lastResponseCode?: number;
  nextAttemptAt?: Date;
  /** Each redelivery starts a new BullMQ job: its id carries this round. */
  round: number;
  log: AttemptLog[];
  createdAt: Date;
}

const endpointSchema = docSchema<WebhookEndpointDoc>({ ownerId: { type: String, index: true }, url: String, eventTypes: [String], secret: String, previousSecret: String, previousSecretUntil: Date, enabled: Boolean, createdBy: String, createdAt: Date, failingSince: Date, disabledAt: Date, outbox: outboxField() });
const deliverySchema = docSchema<WebhookDeliveryDoc>({
  endpointId: { type: String, index: true },
  eventId: String,
  eventType: String,
  body: String,
  status: String,
  attempts: Number,
  lastResponseCode: Number,
  nextAttemptAt: Date,
  round: Number,
  log: [{ _id: false, at: Date, responseCode: Number, error: String, durationMs: Number }],
  createdAt: Date,
});

export const webhookEndpointModel = (conn: Connection): Model<WebhookEndpointDoc> => modelOn<WebhookEndpointDoc>(conn, 'WebhookEndpoint', endpointSchema, 'webhook_endpoints');
export const webhookDeliveryModel = (conn: Connection): Model<WebhookDeliveryDoc> => modelOn<WebhookDeliveryDoc>(conn, 'WebhookDelivery', deliverySchema, 'webhook_deliveries');
