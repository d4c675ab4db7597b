import { ACTIONS, type AccessClient } from '@csp/access-client';
import { notFound, requireCaller, type BaseContext, type Caller } from '@csp/kernel';
import { serviceScope, subscriptionScope } from './facts';
import type { SubscriptionDoc } from './subscription.model';

/** Partners of record and resellers: their own customers' subscriptions. */
export const isPartnerOf = (caller: Caller, s: Pick<SubscriptionDoc, 'partnerId' | 'resellerId'>) =>
  caller.kind === 'PARTNER_USER' && !!caller.partnerId && (caller.partnerId === s.partnerId || caller.partnerId === s.resellerId);

/**
 * Who sees and who changes a subscription. The operator sees all; partners see the
 * subscriptions they sell or bill; customer users see only those where access-control says
 * they hold a role (subscription/read). Not visible answers NOT_FOUND, never FORBIDDEN.
 */
export class SubscriptionAccess {
  constructor(private readonly access: AccessClient) {}

  async canRead(ctx: BaseContext, s: SubscriptionDoc): Promise<boolean> {
    const caller = ctx.caller;
    if (!caller) return false;
    if (caller.kind === 'OPERATOR') return true;
    if (caller.kind === 'PARTNER_USER') return isPartnerOf(caller, s);
    if (caller.kind === 'CUSTOMER_USER' && caller.customerId === s.customerId) {
      return (await this.access.authorize(ctx.authorization, subscriptionScope(s), ACTIONS.subscriptionRead)).allowed;
    }
    return false;
  }

  /** Filters to what the caller may read, keeping order; customer users' decisions in one batch call. */
  async readable(ctx: BaseContext, subs: SubscriptionDoc[]): Promise<SubscriptionDoc[]> {
    const caller = ctx.caller;
    if (caller?.kind === 'CUSTOMER_USER') {
      const own = subs.filter((s) => s.customerId === caller.customerId);
      const answers: Array<{ allowed: boolean }> = [];
      // The batch endpoint takes up to 100 decisions per call.
      for (let i = 0; i < own.length; i += 100) {
        const chunk = own.slice(i, i + 100).map((s) => ({ scope: subscriptionScope(s), action: ACTIONS.subscriptionRead }));
        answers.push(...(await this.access.authorizeMany(ctx.authorization, chunk)));
      }
      const allowed = new Set(own.filter((_, i) => answers[i].allowed).map((s) => s._id));
      return subs.filter((s) => allowed.has(s._id));
    }
    const ok = await Promise.all(subs.map((s) => this.canRead(ctx, s)));
    return subs.filter((_, i) => ok[i]);
  }

  /**
   * Lifecycle changes (quantity, suspend, reactivate, cancel): like services, access-control
   * decides "subscription/manage" on the subscription's scope, so role assignments, the tier-2
   * two-step rule and revoked relationships apply. Another tenant's subscription is NOT_FOUND.
   */
  async requireLifecycle(ctx: BaseContext, s: SubscriptionDoc | null, id: string): Promise<SubscriptionDoc> {
    const caller = requireCaller(ctx);
    if (!s) throw notFound('Subscription', id);
    const sameTenant = isPartnerOf(caller, s) || (caller.kind === 'CUSTOMER_USER' && caller.customerId === s.customerId);
    if (!sameTenant) throw notFound('Subscription', id);
    await this.access.require(ctx.authorization, subscriptionScope(s), ACTIONS.subscriptionManage);
    return s;
  }

  /** Services: access-control decides "subscription/manage" on the service's scope (or above). */
  async requireManage(ctx: BaseContext, s: SubscriptionDoc | null, id: string, service: string): Promise<SubscriptionDoc> {
    const caller = requireCaller(ctx);
    if (!s) throw notFound('Subscription', id);
    const sameTenant =
      caller.kind === 'OPERATOR' || isPartnerOf(caller, s) || (caller.kind === 'CUSTOMER_USER' && caller.customerId === s.customerId);
    if (!sameTenant) throw notFound('Subscription', id);
    await this.access.require(ctx.authorization, serviceScope(s, service), ACTIONS.subscriptionManage);
    return s;
  }
}
