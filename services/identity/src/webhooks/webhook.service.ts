import { createHash, randomBytes } from 'node:crypto';
import { badInput, defaultJobOptions, forbidden, newId, notFound, paginate, type Caller, type Clock, type ConnectionShape, type Envelope } from '@csp/kernel';
import type { Queue } from 'bullmq';
import type { Model } from 'mongoose';
import { EVENT_ALIASES, ownersOf, TEST_EVENT, WEBHOOK_EVENTS } from './event-owners';
import { checkWebhookUrl } from './url-guard';
import type { WebhookDeliveryDoc, WebhookEndpointDoc } from './webhook.model';

export const OPERATOR_OWNER = 'operator';
export const WEBHOOK_QUEUE = 'webhook-deliveries';

export interface WebhookSettings {
  production: boolean;
  backoffMs: number;
  maxAgeMs: number;
}

/** Who owns the endpoints the caller manages: its partner, or the operator. */
function ownerOf(caller: Caller): string {
  if (caller.kind === 'OPERATOR') return OPERATOR_OWNER;
  if (caller.kind === 'PARTNER_USER' && caller.partnerId) return caller.partnerId;
  throw forbidden('Only partner users and the operator manage webhook endpoints.');
}

/** Deterministic per endpoint and event: a redelivered event (at least once) is the same delivery. */
export const deliveryId = (endpointId: string, eventId: string) => `whd_${createHash('sha256').update(`${endpointId}|${eventId}`).digest('hex').slice(0, 32)}`;
const jobId = (d: Pick<WebhookDeliveryDoc, '_id' | 'round'>) => `${d._id}-${d.round}`;

export class WebhookService {
  constructor(
    private readonly m: { endpoints: Model<WebhookEndpointDoc>; deliveries: Model<WebhookDeliveryDoc> },
    private readonly queue: Queue,
    private readonly clock: Clock,
    private readonly settings: WebhookSettings,
  ) {}

  async create(caller: Caller, url: string, eventTypes: string[]): Promise<{ endpoint: WebhookEndpointDoc; secret: string }> {
    const ownerId = ownerOf(caller);
    const types = [...new Set(eventTypes.flatMap((t) => (Object.hasOwn(EVENT_ALIASES, t) ? EVENT_ALIASES[t] : [t])))];
    const unknown = types.filter((t) => !Object.hasOwn(WEBHOOK_EVENTS, t));
    if (!types.length || unknown.length)
      throw badInput(`${unknown.length ? `Unknown event types: ${unknown.join(', ')}. ` : 'Name at least one event type. '}Known: ${Object.keys(WEBHOOK_EVENTS).join(', ')} (and ${Object.keys(EVENT_ALIASES).join(', ')}).`, 'eventTypes');
    const checked = await checkWebhookUrl(url, this.settings.production);
    const secret = `whsec_${randomBytes(24).toString('base64url')}`;
    const endpoint: WebhookEndpointDoc = { _id: newId('whk'), ownerId, url: checked.toString(), eventTypes: types, secret, enabled: true, createdBy: caller.userId, createdAt: this.clock.now(), outbox: [] };
    await this.m.endpoints.create(endpoint);
    return { endpoint, secret };
  }

  /** A new signing secret (returned once); the old one keeps signing for `overlapHours` as well. */
  async rotateSecret(caller: Caller, endpointId: string, overlapHours: number): Promise<{ endpoint: WebhookEndpointDoc; secret: string }> {
    if (!Number.isInteger(overlapHours) || overlapHours < 0 || overlapHours > 168) throw badInput('overlapHours is a whole number of hours from 0 to 168.', 'overlapHours');
    const ep = await this.endpoint(caller, endpointId);
    const secret = `whsec_${randomBytes(24).toString('base64url')}`;
    const until = new Date(this.clock.now().getTime() + overlapHours * 3600_000);
    await this.m.endpoints.updateOne({ _id: ep._id }, { $set: { secret, previousSecret: ep.secret, previousSecretUntil: until } });
    return { endpoint: { ...ep, secret, previousSecret: ep.secret, previousSecretUntil: until }, secret };
  }

  /** The caller's endpoint; another owner's answers as unknown. */
  async endpoint(caller: Caller, id: string): Promise<WebhookEndpointDoc> {
    const ep = await this.m.endpoints.findById(id).lean<WebhookEndpointDoc>();
    if (!ep || ep.ownerId !== ownerOf(caller)) throw notFound('WebhookEndpoint', id);
    return ep;
  }

  deliveries(endpointId: string, page: { first?: number | null; after?: string | null }): Promise<ConnectionShape<WebhookDeliveryDoc>> {
    return paginate(this.m.deliveries, { endpointId }, page);
  }

  /**
   * An event the platform published: one delivery per enabled endpoint subscribed to its type
   * whose owner the event's object belongs to (the operator's endpoints see every object).
   */
  async fanOut(ev: Envelope): Promise<number> {
    const owners = ownersOf(ev.type, ev.payload);
    if (!owners) return 0;
    const endpoints = await this.m.endpoints.find({ enabled: true, eventTypes: ev.type, ownerId: { $in: [...owners.partnerIds, OPERATOR_OWNER] } }).lean<WebhookEndpointDoc[]>();
    for (const ep of endpoints) await this.enqueue(ep, ev.id, ev.type, ev.occurredAt, { objectId: owners.objectId, ...(ev.payload as object) });
    return endpoints.length;
  }

  async sendTest(caller: Caller, endpointId: string): Promise<WebhookDeliveryDoc> {
    const ep = await this.endpoint(caller, endpointId);
    return this.enqueue(ep, newId('evt'), TEST_EVENT, this.clock.now().toISOString(), { objectId: ep._id });
  }

  /** Sends a delivery again from its first attempt's backoff (e.g. after the receiver was fixed). */
  async redeliver(caller: Caller, id: string): Promise<WebhookDeliveryDoc> {
    const d = await this.m.deliveries.findById(id).lean<WebhookDeliveryDoc>();
    if (!d) throw notFound('WebhookDelivery', id);
    const ep = await this.endpoint(caller, d.endpointId).catch(() => {
      throw notFound('WebhookDelivery', id);
    });
    if (!ep.enabled) throw badInput('The endpoint is disabled; enable it before redelivering.', 'deliveryId');
    const round = d.round + 1;
    const now = this.clock.now();
    // A new round resets the 24-hour window; the attempt log keeps every earlier attempt.
    await this.m.deliveries.updateOne({ _id: id }, { $set: { status: 'PENDING', round, nextAttemptAt: now, createdAt: now } });
    await this.queue.add('deliver', { deliveryId: id }, this.jobOptions({ _id: id, round }));
    return { ...d, status: 'PENDING', round, nextAttemptAt: now };
  }

  private async enqueue(ep: WebhookEndpointDoc, eventId: string, eventType: string, occurredAt: string, data: Record<string, unknown>): Promise<WebhookDeliveryDoc> {
    const id = deliveryId(ep._id, eventId);
    const doc: WebhookDeliveryDoc = {
      _id: id,
      endpointId: ep._id,
      eventId,
      eventType,
      body: JSON.stringify({ id: eventId, type: eventType, occurredAt, data }),
      status: 'PENDING',
      attempts: 0,
      round: 0,
      log: [],
      nextAttemptAt: this.clock.now(),
      createdAt: this.clock.now(),
    };
    // The event again (at least once): the stored delivery stands, and the job id dedupes the send.
    const existing = await this.m.deliveries.findOneAndUpdate({ _id: id }, { $setOnInsert: doc }, { upsert: true, returnDocument: 'after' }).lean<WebhookDeliveryDoc>();
    const d = existing ?? doc;
    if (d.round === 0 && d.status === 'PENDING') await this.queue.add('deliver', { deliveryId: id }, this.jobOptions(d));
    return d;
  }

  private jobOptions(d: Pick<WebhookDeliveryDoc, '_id' | 'round'>) {
    // Attempts are bounded by the 24-hour window (the worker gives up past it), not by a count.
    return { ...defaultJobOptions, jobId: jobId(d), attempts: 1000, backoff: { type: 'exponential' as const, delay: this.settings.backoffMs } };
  }
}
