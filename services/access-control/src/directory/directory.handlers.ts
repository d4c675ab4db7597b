import type { EventMap } from '@csp/events';
import type { Envelope, Handler } from '@csp/kernel';
import type { AssignmentService } from '../assignments/assignment.service';
import type { DecisionCache } from '../decisions/decision-cache';
import { applyIfNewer } from './apply-if-newer';
import type { Directory } from './directory';
import { relationshipId } from './relationship.model';

type On<K extends keyof EventMap> = (ev: Envelope<EventMap[K]>) => Promise<void>;

/**
 * Consumers of identity's and subscription's events (queue events-access-control). Each is
 * idempotent on its own; every change that can alter a decision bumps the decision version.
 */
export function directoryHandlers(dir: Directory, assignments: AssignmentService, decisions: DecisionCache): Record<string, Handler> {
  const at = (ev: Envelope) => new Date(ev.occurredAt);

  const partnerOnboarded: On<'partner.onboarded'> = async (ev) => {
    const p = ev.payload;
    await dir.upsert(dir.partners, p.partnerId, { $set: { tier: p.tier, adminAgentsGroupId: p.adminAgentsGroupId } });
    await dir.upsert(dir.groups, p.adminAgentsGroupId, { $set: { ownerKind: 'PARTNER', ownerId: p.partnerId } });
    await decisions.changed();
  };
  const resellerLinked: On<'reseller.linked'> = async (ev) => {
    await dir.upsert(dir.partners, ev.payload.resellerId, { $addToSet: { distributorIds: ev.payload.distributorId } });
  };
  const customerCreated: On<'customer.created'> = async (ev) => {
    const c = ev.payload;
    await dir.upsert(dir.customers, c.customerId, { $set: { partnerId: c.partnerId, ...(c.distributorId ? { distributorId: c.distributorId } : {}) } });
    // Creating a customer establishes the selling partner's relationship; a later revoke wins.
    await dir.upsert(dir.relationships, relationshipId(c.partnerId, c.customerId), {
      $setOnInsert: { partnerId: c.partnerId, customerId: c.customerId, status: 'ACTIVE', at: at(ev) },
    });
    await decisions.changed();
  };
  const relationship =
    (status: 'ACTIVE' | 'REVOKED'): On<'relationship.established'> =>
    async (ev) => {
      const { partnerId, customerId } = ev.payload;
      await applyIfNewer(dir.relationships, relationshipId(partnerId, customerId), at(ev), { partnerId, customerId, status });
      await decisions.changed();
    };
  const membershipChanged: On<'group.membershipChanged'> = async (ev) => {
    const g = ev.payload;
    await applyIfNewer(dir.groups, g.groupId, at(ev), { ownerKind: g.ownerKind, ownerId: g.ownerId, memberIds: g.memberIds });
    await decisions.changed();
  };
  const rolesChanged: On<'user.rolesChanged'> = async (ev) => {
    const u = ev.payload;
    await applyIfNewer(dir.users, u.userId, at(ev), {
      kind: u.kind,
      roles: u.roles,
      ...(u.partnerId ? { partnerId: u.partnerId } : {}),
      ...(u.customerId ? { customerId: u.customerId } : {}),
    });
  };
  const subscription =
    (status: 'CREATED' | 'ACTIVE' | 'CANCELLED'): On<'subscription.created'> =>
    async (ev) => {
      const s = ev.payload;
      const applied = await applyIfNewer(dir.subscriptions, s.subscriptionId, at(ev), {
        customerId: s.customerId,
        partnerId: s.partnerId,
        ...(s.resellerId ? { resellerId: s.resellerId } : {}),
        status,
      });
      // Decisions depend on these facts (a scope exists only once they are known): a cached
      // "no such scope" must not outlive them.
      if (applied) await decisions.changed();
    };
  const created: On<'subscription.created'> = async (ev) => {
    await subscription('CREATED')(ev);
    // Seed rule at creation: the partner's admin agents can manage (cancel) it while provisioning.
    if (ev.payload.adminAgentsGroupId) await assignments.seedOwner({ ...ev.payload, adminAgentsGroupId: ev.payload.adminAgentsGroupId });
  };
  const activated: On<'subscription.activated'> = async (ev) => {
    await subscription('ACTIVE')(ev);
    await assignments.seedOwner(ev.payload);
  };

  return {
    'partner.onboarded': partnerOnboarded,
    'reseller.linked': resellerLinked,
    'customer.created': customerCreated,
    'relationship.established': relationship('ACTIVE'),
    'relationship.revoked': relationship('REVOKED'),
    'group.membershipChanged': membershipChanged,
    'user.rolesChanged': rolesChanged,
    'subscription.created': created,
    'subscription.activated': activated,
    'subscription.cancelled': subscription('CANCELLED'),
  } as Record<string, Handler>;
}
