import type { EventMap } from '@csp/events';
import type { Envelope, Projector } from '@csp/kernel';
import type { AssignmentService } from '../assignments/assignment.service';
import type { OwnerGrantSignal } from '../assignments/owner-grant-signal';
import type { DecisionCache } from '../decisions/decision-cache';
import type { Directory } from './directory';
import { relationshipId } from './relationship.model';

type On<K extends keyof EventMap> = (ev: Envelope<EventMap[K]>) => Promise<void>;

/**
 * Consumers of identity's and subscription's events (queue events-access-control). Each is
 * idempotent on its own; every change that can alter a decision bumps the decision version.
 */
export function directoryHandlers(dir: Directory, assignments: AssignmentService, decisions: DecisionCache, project: Projector, ownerGrant: OwnerGrantSignal) {
  const partnerOnboarded: On<'partner.onboarded'> = async (ev) => {
    const p = ev.payload;
    await project.apply(dir.partners, p.partnerId, ev, { $set: { tier: p.tier, adminAgentsGroupId: p.adminAgentsGroupId } });
    await project.apply(dir.groups, p.adminAgentsGroupId, ev, { $set: { ownerKind: 'PARTNER', ownerId: p.partnerId } });
    await decisions.changed();
  };
  const resellerLinked: On<'reseller.linked'> = async (ev) => {
    await project.accumulate(dir.partners, ev.payload.resellerId, { $addToSet: { distributorIds: ev.payload.distributorId } });
  };
  const customerCreated: On<'customer.created'> = async (ev) => {
    const c = ev.payload;
    await project.apply(dir.customers, c.customerId, ev, { $set: { partnerId: c.partnerId, ...(c.distributorId ? { distributorId: c.distributorId } : {}) } });
    // Creating a customer establishes the selling partner's relationship; a later revoke wins.
    await project.apply(dir.relationships, relationshipId(c.partnerId, c.customerId), ev, { $set: { partnerId: c.partnerId, customerId: c.customerId, status: 'ACTIVE' } });
    await decisions.changed();
  };
  const relationship =
    (status: 'ACTIVE' | 'REVOKED'): On<'relationship.established'> =>
    async (ev) => {
      const { partnerId, customerId } = ev.payload;
      await project.apply(dir.relationships, relationshipId(partnerId, customerId), ev, { $set: { partnerId, customerId, status } });
      await decisions.changed();
    };
  const membershipChanged: On<'group.membershipChanged'> = async (ev) => {
    const g = ev.payload;
    await project.apply(dir.groups, g.groupId, ev, { $set: { ownerKind: g.ownerKind, ownerId: g.ownerId, memberIds: g.memberIds } });
    await decisions.changed();
  };
  const rolesChanged: On<'user.rolesChanged'> = async (ev) => {
    const u = ev.payload;
    await project.apply(dir.users, u.userId, ev, {
      $set: { kind: u.kind, roles: u.roles, ...(u.partnerId ? { partnerId: u.partnerId } : {}), ...(u.customerId ? { customerId: u.customerId } : {}) },
    });
  };
  const subscription =
    (status: 'CREATED' | 'ACTIVE' | 'CANCELLED'): On<'subscription.created'> =>
    async (ev) => {
      const s = ev.payload;
      const applied = await project.apply(dir.subscriptions, s.subscriptionId, ev, {
        $set: { customerId: s.customerId, partnerId: s.partnerId, ...(s.resellerId ? { resellerId: s.resellerId } : {}), status },
      });
      // Decisions depend on these facts (a scope exists only once they are known): a cached
      // "no such scope" must not outlive them.
      if (applied) await decisions.changed();
    };
  const created: On<'subscription.created'> = async (ev) => {
    // Seed rule at creation: the partner's admin agents can manage (cancel) it while provisioning,
    // and the subscription turns ACTIVE only once this grant is in force (ordering always names
    // the group; a fact without one gets its OWNER on activation). The grant and the directory
    // fact are independent writes, both needed for the grant to be in force: made side by side,
    // then the provisioning worker waiting for them is told.
    const groupId = ev.payload.adminAgentsGroupId;
    const known = subscription('CREATED')(ev);
    if (!groupId) return known;
    // The waiting worker is told once both are in place; a directory write that failed tells
    // nobody and fails the event below (it is retried), the grant's audit record still written.
    const seeded = () => known.then(() => ownerGrant.seeded(ev.payload.subscriptionId), () => undefined);
    const results = await Promise.allSettled([known, assignments.seedOwner({ ...ev.payload, adminAgentsGroupId: groupId }, seeded)]);
    for (const r of results) if (r.status === 'rejected') throw r.reason;
  };
  const activated: On<'subscription.activated'> = async (ev) => {
    await subscription('ACTIVE')(ev);
    // Seeded at creation as a rule: one read, not a failing insert and its reads; seeded here
    // only for a fact created without its group.
    if (!(await assignments.ownerSeeded(ev.payload))) await assignments.seedOwner(ev.payload);
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
  };
}
