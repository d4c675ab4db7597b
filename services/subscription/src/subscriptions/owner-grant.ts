import type { AccessClient } from '@csp/access-client';
import { AppError, type Logger } from '@csp/kernel';
import type { SubscriptionDoc } from './subscription.model';

type Subject = Pick<SubscriptionDoc, '_id' | 'customerId'>;

/**
 * ACTIVE means usable: a subscription is reported ACTIVE only once the OWNER grant the seed rule
 * gives its partner's admin agents is in force at access-control — else the partner could not
 * manage (or grant anyone access to) what it was just told is ready. Until then the provisioning
 * job waits and runs again, and a MANUAL partner offer cannot be fulfilled.
 */
export class OwnerGrant {
  constructor(
    private readonly access: Pick<AccessClient, 'ownerGrantInForce'>,
    private readonly logger: Logger,
  ) {}

  /** False also while access-control does not answer: the grant is not known to be in force. */
  async inForce(s: Subject): Promise<boolean> {
    try {
      return await this.access.ownerGrantInForce(s._id, s.customerId);
    } catch (err) {
      this.logger.warn({ subscriptionId: s._id, reason: (err as Error).message }, 'owner grant: access-control did not answer');
      return false;
    }
  }

  /** SERVICE_UNAVAILABLE (nothing changed, try again) unless the grant is in force. */
  async require(s: Subject): Promise<void> {
    if (await this.inForce(s)) return;
    throw new AppError(
      'SERVICE_UNAVAILABLE',
      `Subscription ${s._id} cannot become ACTIVE yet: its partner's OWNER grant is not in force at access-control. Nothing was changed; try again shortly.`,
      { service: 'access-control' },
    );
  }
}
