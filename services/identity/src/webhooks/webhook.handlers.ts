import { reaction, type Envelope, type Handler } from '@csp/kernel';
import { WEBHOOK_EVENTS, type WebhookEventType } from './event-owners';
import type { WebhookService } from './webhook.service';

/**
 * Every forwarded event type fans out to the endpoints of the partners its object belongs to: a
 * reaction (no read of identity depends on it, so no request waits for it).
 */
export function webhookHandlers(webhooks: WebhookService) {
  const fan = reaction((async (ev: Envelope) => {
    await webhooks.fanOut(ev);
  }) as Handler);
  return Object.fromEntries(Object.keys(WEBHOOK_EVENTS).map((t) => [t, fan])) as Record<WebhookEventType, Handler>;
}
