import express, { type Express } from 'express';
import { OWNER_GRANT_PATH } from '@csp/access-client';
import { pollUntil } from '@csp/kernel';
import type { AssignmentService } from './assignment.service';

const ID = /^[A-Za-z0-9_-]{1,100}$/;
const POLL_MS = 25;

/**
 * The provisioning worker asks, before it reports a subscription ACTIVE, whether the partner's
 * OWNER grant on it is in force. The grant is seeded from `subscription.created`, which may still
 * be on its way: the answer waits (bounded by `waitMs`) for it, and "no" means "not yet, ask
 * again later". A platform call (the internal proof guards /internal), not a user's: no token.
 */
export function mountOwnerGrantEndpoint(app: Express, assignments: AssignmentService, waitMs: number): void {
  app.post(OWNER_GRANT_PATH, express.json({ limit: '4kb' }), async (req, res) => {
    const { subscriptionId, customerId } = (req.body ?? {}) as { subscriptionId?: unknown; customerId?: unknown };
    if (typeof subscriptionId !== 'string' || !ID.test(subscriptionId) || typeof customerId !== 'string' || !ID.test(customerId)) {
      res.status(400).json({ reason: 'Body must be { subscriptionId, customerId }.', code: 'BAD_USER_INPUT' });
      return;
    }
    try {
      const { value } = await pollUntil(() => assignments.ownerGrantInForce(subscriptionId, customerId), { timeoutMs: waitMs, pauseMs: POLL_MS, maxPauseMs: POLL_MS * 4 });
      res.json({ inForce: value === true });
    } catch {
      res.status(503).json({ reason: 'Access-control cannot read its grants right now.', code: 'SERVICE_UNAVAILABLE' });
    }
  });
}
