import { badInput, conflict, forbidden, isDuplicateKey, newId, notFound, type AggregateLocks, type Caller, type Clock } from '@csp/kernel';
import type { Model } from 'mongoose';
import type { AuditLog } from '../audit/audit-log';
import type { DecisionCache } from '../decisions/decision-cache';
import type { Directory } from '../directory/directory';
import type { RoleCatalog } from '../roles/role-catalog';
import type { AdminAccessDoc } from './admin-access.model';
import { effectiveStatus, type AdminRelationshipDoc } from './admin-relationship.model';
import { addDuration, requireGdapDuration } from './duration';

/**
 * Delegated admin relationships (GDAP). Roles are this service's role definitions (OWNER,
 * CONTRIBUTOR, READER); an access assignment gives a partner group those roles on the whole
 * customer (`/customers/{c}` and below) while the relationship is ACTIVE and not past endsAt.
 */
export class AdminRelationshipService {
  constructor(
    private readonly relationships: Model<AdminRelationshipDoc>,
    private readonly access: Model<AdminAccessDoc>,
    private readonly directory: Directory,
    private readonly roles: RoleCatalog,
    private readonly decisions: DecisionCache,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly locks: AggregateLocks,
  ) {}

  async request(caller: Caller & { partnerId: string }, customerId: string, duration: string, roles: string[]): Promise<AdminRelationshipDoc> {
    if (!(await this.directory.hasActiveRelationship(caller.partnerId, customerId))) throw notFound('Customer', customerId);
    requireGdapDuration(duration, this.clock.now());
    this.requireRoles(roles);
    const doc: AdminRelationshipDoc = {
      _id: newId('gdap'),
      partnerId: caller.partnerId,
      customerId,
      duration,
      roles: [...new Set(roles)],
      status: 'APPROVAL_PENDING',
      requestedBy: caller.userId,
      createdAt: this.clock.now(),
    };
    await this.relationships.create(doc);
    await this.audit.record(caller, 'adminRelationship.requested', doc._id, { partnerId: doc.partnerId, duration, roles: doc.roles }, customerId);
    return doc;
  }

  /** The customer's admin approves: ACTIVE until approval time + duration. */
  async approve(caller: Caller, id: string): Promise<AdminRelationshipDoc> {
    return this.locked(id, async () => {
      const doc = await this.relationships.findById(id).lean<AdminRelationshipDoc>();
      if (!doc || caller.kind !== 'CUSTOMER_USER' || caller.customerId !== doc.customerId) {
        if (doc && caller.kind === 'PARTNER_USER' && caller.partnerId === doc.partnerId) {
          throw forbidden('Only an admin of the customer may approve an admin relationship.');
        }
        throw notFound('Admin relationship', id);
      }
      const status = effectiveStatus(doc, this.clock.now());
      if (status !== 'APPROVAL_PENDING') throw conflict(`Admin relationship ${id} is ${status}; only a pending request can be approved.`);
      const approvedAt = this.clock.now();
      const endsAt = addDuration(approvedAt, requireGdapDuration(doc.duration, approvedAt));
      await this.relationships.updateOne({ _id: id }, { $set: { status: 'ACTIVE', approvedAt, endsAt, approvedBy: caller.userId } });
      await this.audit.record(caller, 'adminRelationship.approved', id, { endsAt: endsAt.toISOString() }, doc.customerId);
      await this.decisions.changed();
      return { ...doc, status: 'ACTIVE', approvedAt, endsAt, approvedBy: caller.userId };
    });
  }

  /** Either side may end the relationship; it then grants nothing. */
  async terminate(caller: Caller, id: string): Promise<AdminRelationshipDoc> {
    return this.locked(id, async () => {
      const doc = await this.relationships.findById(id).lean<AdminRelationshipDoc>();
      if (!doc || !this.isParty(caller, doc)) throw notFound('Admin relationship', id);
      if (doc.status === 'TERMINATED') return doc;
      const terminatedAt = this.clock.now();
      await this.relationships.updateOne({ _id: id }, { $set: { status: 'TERMINATED', terminatedAt, terminatedBy: caller.userId } });
      await this.audit.record(caller, 'adminRelationship.terminated', id, { previousStatus: effectiveStatus(doc, terminatedAt) }, doc.customerId);
      await this.decisions.changed();
      return { ...doc, status: 'TERMINATED', terminatedAt, terminatedBy: caller.userId };
    });
  }

  /** Maps one of the partner's security groups to roles within an ACTIVE relationship. */
  async assignAccess(caller: Caller & { partnerId: string }, relationshipId: string, groupId: string, roles: string[]): Promise<AdminAccessDoc> {
    const rel = await this.relationships.findById(relationshipId).lean<AdminRelationshipDoc>();
    if (!rel || rel.partnerId !== caller.partnerId) throw notFound('Admin relationship', relationshipId);
    const status = effectiveStatus(rel, this.clock.now());
    if (status !== 'ACTIVE') throw conflict(`Admin relationship ${relationshipId} is ${status}; access can be assigned only while it is ACTIVE.`);
    this.requireRoles(roles);
    const outside = roles.filter((r) => !rel.roles.includes(r));
    if (outside.length) throw forbidden(`Admin relationship ${relationshipId} does not include ${outside.join(', ')}; it grants ${rel.roles.join(', ')}.`);
    const group = await this.directory.groups.findById(groupId, { ownerKind: 1, ownerId: 1 }).lean();
    if (!group || group.ownerKind !== 'PARTNER' || group.ownerId !== caller.partnerId) throw notFound('Security group', groupId);

    const now = this.clock.now();
    const unique = [...new Set(roles)];
    const doc = await this.locks.hold('admin_access', `${relationshipId}:${groupId}`, async () => {
      const existing = await this.access.findOne({ relationshipId, groupId }).lean<AdminAccessDoc>();
      if (existing) {
        await this.access.updateOne({ _id: existing._id }, { $set: { roles: unique, updatedAt: now, assignedBy: caller.userId } });
        return { ...existing, roles: unique, updatedAt: now, assignedBy: caller.userId };
      }
      const fresh: AdminAccessDoc = {
        _id: newId('gaa'),
        relationshipId,
        groupId,
        roles: unique,
        customerId: rel.customerId,
        partnerId: rel.partnerId,
        assignedBy: caller.userId,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await this.access.create(fresh);
        return fresh;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        return (await this.access.findOne({ relationshipId, groupId }).lean<AdminAccessDoc>())!;
      }
    });
    await this.audit.record(caller, 'adminRelationship.accessAssigned', relationshipId, { groupId, roles: unique, accessId: doc._id }, rel.customerId);
    await this.decisions.changed();
    return doc;
  }

  async get(caller: Caller, id: string): Promise<AdminRelationshipDoc> {
    const doc = await this.relationships.findById(id).lean<AdminRelationshipDoc>();
    if (!doc || !(caller.kind === 'OPERATOR' || this.isParty(caller, doc))) throw notFound('Admin relationship', id);
    return doc;
  }

  private isParty(caller: Caller, doc: AdminRelationshipDoc): boolean {
    return (
      (caller.kind === 'PARTNER_USER' && caller.partnerId === doc.partnerId) ||
      (caller.kind === 'CUSTOMER_USER' && caller.customerId === doc.customerId)
    );
  }

  private requireRoles(roles: string[]): void {
    if (!roles.length) throw badInput('`roles` needs at least one role.', 'roles');
    this.roles.require(roles, 'roles');
  }

  private locked<T>(id: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.hold('admin_relationships', id, fn);
  }
}
