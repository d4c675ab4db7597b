import express, { type Express } from 'express';
import { OWNER_GRANT_PATH } from '@csp/access-client';
import type { AssignmentService } from './assignment.service';
import type { OwnerGrantSignal } from './owner-grant-signal';

const ID = /^[A-Za-z0-9_-]{1,100}$/;
/** Between two looks at the store when no wake-up came: a grant put in force by something else than its seeding (a reseller's relationship) or a lost message. */
const RECHECK_MS = 200;

/**
 * The provisioning worker asks, before it reports a subscription ACTIVE, whether the partner's
 * OWNER grant on it is in force. The grant is seeded from `subscription.created`, which may still
 * be on its way: the answer waits (bounded by `waitMs`) for it, and "no" means "not yet, ask
 * again later". The wait ends when the consumer that seeds the grant says so (OwnerGrantSignal),
 * not on a poll. A platform call (the internal proof guards /internal), not a user's: no token.
 */
export function mountOwnerGrantEndpoint(app: Express, assignments: AssignmentService, signal: OwnerGrantSignal, waitMs: number): void {
  app.post(OWNER_GRANT_PATH, express.json({ limit: '4kb' }), async (req, res) => {
    const { subscriptionId, customerId } = (req.body ?? {}) as { subscriptionId?: unknown; customerId?: unknown };
    if (typeof subscriptionId !== 'string' || !ID.test(subscriptionId) || typeof customerId !== 'string' || !ID.test(customerId)) {
      res.status(400).json({ reason: 'Body must be { subscriptionId, customerId }.', code: 'BAD_USER_INPUT' });
      return;
    }
    // Listening before the first look: a grant seeded in between still wakes this wait.
    const wakeUps = signal.listen(subscriptionId);
    try {
      // Real time: a deadline for a waiting caller, never the platform clock.
      const deadline = performance.now() + waitMs;
      let inForce = await assignments.ownerGrantInForce(subscriptionId, customerId);
      for (let left = waitMs; !inForce && left > 0; left = deadline - performance.now()) {
        await wakeUps.next(Math.min(left, RECHECK_MS));
        inForce = await assignments.ownerGrantInForce(subscriptionId, customerId);
      }
      res.json({ inForce });
    } catch {
      res.status(503).json({ reason: 'Access-control cannot read its grants right now.', code: 'SERVICE_UNAVAILABLE' });
    } finally {
      wakeUps.close();
    }
  });
}
