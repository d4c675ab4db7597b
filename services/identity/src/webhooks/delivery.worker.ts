import http from 'node:http';
import https from 'node:https';
import { event } from '@csp/events';
import { startJobWorker, type Clock, type Logger } from '@csp/kernel';
import { UnrecoverableError, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Model } from 'mongoose';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signatures, TIMESTAMP_HEADER } from './signature';
import { guardedLookup } from './url-guard';
import type { WebhookDeliveryDoc, WebhookEndpointDoc } from './webhook.model';
import { WEBHOOK_QUEUE, type WebhookSettings } from './webhook.service';

const TIMEOUT_MS = 10_000;

/** POSTs the body; resolves with the status code (the response body is drained, not kept). */
function post(url: string, body: string, headers: Record<string, string>, production: boolean): Promise<number> {
  const u = new URL(url);
  const lib = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(u, { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) }, lookup: guardedLookup(production), timeout: TIMEOUT_MS }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no response within ${TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * An endpoint's failing streak: started by a failed attempt, ended by a success; once it has
 * lasted a day the endpoint is disabled, once (conditional on still enabled), with an event.
 */
async function trackHealth(endpoints: Model<WebhookEndpointDoc>, ep: WebhookEndpointDoc, ok: boolean, now: Date, maxAgeMs: number, clock: Clock): Promise<void> {
  if (ok) {
    if (ep.failingSince) await endpoints.updateOne({ _id: ep._id }, { $unset: { failingSince: 1 } });
    return;
  }
  if (!ep.failingSince) {
    await endpoints.updateOne({ _id: ep._id, failingSince: { $exists: false } }, { $set: { failingSince: now } });
    return;
  }
  if (now.getTime() - new Date(ep.failingSince).getTime() < maxAgeMs) return;
  const ev = event('webhook.endpointDisabled', { endpointId: ep._id, ownerId: ep.ownerId, url: ep.url, failingSince: new Date(ep.failingSince).toISOString(), at: now.toISOString() }, clock, `webhook-disabled-${ep._id}-${new Date(ep.failingSince).getTime()}`);
  await endpoints.updateOne({ _id: ep._id, enabled: true }, { $set: { enabled: false, disabledAt: now }, $push: { outbox: ev } });
}

/**
 * Sends webhook deliveries. A non-2xx answer or a network error is an attempt logged on the
 * delivery and retried with exponential backoff (BullMQ) until 24 hours from the first, then
 * the delivery is FAILED. The redirect is not followed (the URL is the one checked).
 */
export function startDeliveryWorker(
  m: { endpoints: Model<WebhookEndpointDoc>; deliveries: Model<WebhookDeliveryDoc> },
  settings: WebhookSettings,
  clock: Clock,
  connection: Redis,
  prefix: string,
  logger: Logger,
): Worker {
  const worker = startJobWorker<{ deliveryId: string }>(
    { queue: WEBHOOK_QUEUE, connection, redisPrefix: prefix, logger, concurrency: 8 },
    async (job) => {
      const d = await m.deliveries.findById(job.data.deliveryId).lean<WebhookDeliveryDoc>();
      if (!d || d.status !== 'PENDING') return 'done';
      const ep = await m.endpoints.findById(d.endpointId).lean<WebhookEndpointDoc>();
      if (!ep || !ep.enabled) {
        await m.deliveries.updateOne({ _id: d._id }, { $set: { status: 'FAILED' }, $unset: { nextAttemptAt: 1 } });
        return 'endpoint disabled';
      }
      const now = clock.now();
      const timestamp = Math.floor(now.getTime() / 1000);
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'csp-webhooks/1',
        [EVENT_ID_HEADER]: d.eventId,
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signatures([ep.secret, ...(ep.previousSecret && ep.previousSecretUntil && now < new Date(ep.previousSecretUntil) ? [ep.previousSecret] : [])], timestamp, d.body),
      };
      const started = process.hrtime.bigint();
      let code: number | undefined;
      let error: string | undefined;
      try {
        code = await post(ep.url, d.body, headers, settings.production);
      } catch (err) {
        error = (err as Error).message.slice(0, 300);
      }
      const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e6);
      const attempts = d.attempts + 1;
      const ok = code !== undefined && code >= 200 && code < 300;
      const delay = settings.backoffMs * 2 ** (attempts - 1);
      const giveUp = !ok && now.getTime() + delay - new Date(d.createdAt).getTime() > settings.maxAgeMs;
      await m.deliveries.updateOne(
        { _id: d._id },
        {
          $set: {
            attempts,
            ...(code !== undefined ? { lastResponseCode: code } : {}),
            status: ok ? 'SUCCEEDED' : giveUp ? 'FAILED' : 'PENDING',
            ...(ok || giveUp ? {} : { nextAttemptAt: new Date(now.getTime() + delay) }),
          },
          ...(ok || giveUp ? { $unset: { nextAttemptAt: 1 } } : {}),
          $push: { log: { at: now, ...(code !== undefined ? { responseCode: code } : {}), ...(error ? { error } : {}), durationMs } },
        },
      );
      await trackHealth(m.endpoints, ep, ok, now, settings.maxAgeMs, clock);
      if (ok) return code;
      const why = error ?? `HTTP ${code}`;
      if (giveUp) throw new UnrecoverableError(`delivery ${d._id} failed after ${attempts} attempts (last: ${why})`);
      throw new Error(`delivery ${d._id} attempt ${attempts}: ${why}`);
    },
  );
  worker.on('failed', (job, err) => logger.warn({ jobId: job?.id, err: err.message }, 'webhook delivery attempt failed'));
  return worker;
}
