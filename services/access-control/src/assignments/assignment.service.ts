import { badInput, forbidden, isDuplicateKey, newId, notFound, type Caller, type Clock } from '@csp/kernel';
import type { Model } from 'mongoose';
import type { AuditLog } from '../audit/audit-log';
import type { DecisionCache } from '../decisions/decision-cache';
import type { Decision } from '../decisions/decision-engine';
import type { Directory } from '../directory/directory';
import { sells, type SubscriptionDoc } from '../directory/subscription.model';
import { ACTIONS } from '@csp/access-client';
import type { RoleCatalog } from '../roles/role-catalog';
import { customerScope, parseScope, scopeChain, subscriptionScope, tryParseScope, type Scope } from '../scopes/scope';
import { principalKindOf, type AssignmentDoc } from './assignment.model';

export const OWNER_TO_CUSTOMER_WARNING =
  'Owner can add and remove other users: the customer principal may now grant and revoke roles on this scope, including removing the partner\'s own access.';

const LIST_LIMIT = 500;

/** Unknown and not visible to the caller answer alike (the path is the caller's own input). */
const scopeNotFound = (scope: Scope) => notFound('Scope', scope.path);

/** Granting, revoking and listing role assignments, and the provisioning seed rule. */
export class AssignmentService {
  constructor(
    private readonly assignments: Model<AssignmentDoc>,
    private readonly directory: Directory,
    private readonly roles: RoleCatalog,
    private readonly decisions: DecisionCache,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async grant(caller: Caller, input: { principalId: string; role: string; scope: string }): Promise<{ doc: AssignmentDoc; warnings: string[] }> {
    const principalKind = principalKindOf(input.principalId);
    if (!principalKind) throw badInput('`principalId` must be a user id (usr_…) or a security group id (grp_…).', 'principalId');
    this.roles.require([input.role], 'role');
    const scope = parseScope(input.scope);
    const [write, read] = await this.decisions.decideMany(caller, [
      { scope, action: ACTIONS.assignmentsWrite },
      { scope, action: ACTIONS.assignmentsRead },
    ]);
    if (!write.allowed) {
      // A scope the caller may not even read does not exist for it (unknown, another tenant's,
      // another partner's subscription): NOT_FOUND, exactly as for a scope that exists nowhere.
      if (!read.allowed) throw scopeNotFound(scope);
      throw forbidden(`Only an Owner of ${scope.path} or a scope above it may grant roles there. ${write.reason}`);
    }

    let requiresRelationshipOf: string | undefined;
    if (principalKind === 'USER') {
      // Only a user of the scope's customer, or of a partner doing business with it (hole 8).
      // Unknown and foreign users answer alike.
      const user = await this.directory.userBelongsTo(input.principalId, scope);
      if (!user) throw notFound('User', input.principalId);
      if (user.kind === 'PARTNER_USER') requiresRelationshipOf = await this.requireTier2Step1('PARTNER', user.partnerId!, scope);
    }
    if (principalKind === 'GROUP') {
      const group = await this.directory.groups.findById(input.principalId).lean();
      if (!group?.ownerKind) throw notFound('Security group', input.principalId);
      if (group.ownerKind === 'CUSTOMER' && group.ownerId !== scope.customerId) throw notFound('Security group', input.principalId);
      requiresRelationshipOf = await this.requireTier2Step1(group.ownerKind, group.ownerId!, scope);
    }
    const warnings = input.role === 'OWNER' && (await this.directory.isCustomerPrincipal(input.principalId, principalKind)) ? [OWNER_TO_CUSTOMER_WARNING] : [];

    const doc: AssignmentDoc = {
      _id: newId('ra'),
      principalId: input.principalId,
      principalKind,
      role: input.role,
      scope: scope.path,
      scopeChain: scopeChain(scope),
      customerId: scope.customerId,
      grantedBy: caller.userId,
      source: 'GRANT',
      ...(requiresRelationshipOf ? { requiresRelationshipOf } : {}),
      // A customer-wide grant passes on where the granter's right came from (see the model).
      ...(!scope.subscriptionId && write.viaPartnerId ? { viaPartnerId: write.viaPartnerId } : {}),
      createdAt: this.clock.now(),
    };
    const { doc: saved, created } = await this.insertOnce(doc);
    if (created) {
      await this.audit.record(caller, 'roleAssignment.granted', saved._id, { principalId: saved.principalId, role: saved.role, scope: saved.scope }, saved.customerId);
      await this.decisions.changed();
    }
    return { doc: saved, warnings };
  }

  async revoke(caller: Caller, assignmentId: string): Promise<AssignmentDoc> {
    const doc = await this.assignments.findById(assignmentId).lean<AssignmentDoc>();
    if (!doc) throw notFound('Role assignment', assignmentId);
    const scope = parseScope(doc.scope);
    const [write, read] = await this.decisions.decideMany(caller, [
      { scope, action: ACTIONS.assignmentsWrite },
      { scope, action: ACTIONS.assignmentsRead },
    ]);
    // On the customer scope, each partner's delegated grants are its own compartment: another
    // partner's are not even visible (as in the list).
    const inCompartment = (d: Decision) => scope.subscriptionId !== undefined || caller.kind === 'OPERATOR' || d.viaPartnerId === doc.viaPartnerId;
    if (!write.allowed || !inCompartment(write)) {
      if (!read.allowed || !inCompartment(read)) throw notFound('Role assignment', assignmentId);
      throw forbidden(`Only an Owner of ${scope.path} or a scope above it may revoke roles there. ${write.reason}`);
    }
    const { deletedCount } = await this.assignments.deleteOne({ _id: assignmentId });
    if (!deletedCount) throw notFound('Role assignment', assignmentId);
    await this.audit.record(
      caller,
      'roleAssignment.revoked',
      doc._id,
      { principalId: doc.principalId, role: doc.role, scope: doc.scope, source: doc.source, grantedBy: doc.grantedBy ?? null },
      doc.customerId,
    );
    await this.decisions.changed();
    return doc;
  }

  /** Assignments that apply at `scope` (on it or above) and those below it. */
  async list(caller: Caller, path: string): Promise<AssignmentDoc[]> {
    const scope = parseScope(path);
    const read = await this.decisions.decide(caller, { scope, action: ACTIONS.assignmentsRead });
    if (!read.allowed) throw scopeNotFound(scope);
    const docs = await this.assignments
      .find({ $or: [{ scope: { $in: scopeChain(scope) } }, { scopeChain: scope.path }] })
      .sort({ _id: 1 })
      .limit(LIST_LIMIT)
      .lean<AssignmentDoc[]>();
    return this.visible(caller, scope, read, docs);
  }

  /**
   * What a reader of `scope` is shown. Reading a customer's assignments shows those on its
   * subscriptions only where the caller may read that subscription's assignments too (a GDAP
   * reader sees nothing of what another partner sold the customer), and those on the customer
   * scope itself only from the partner the caller's own right derives from. Reading a
   * subscription's shows inherited customer-scope ones only where they reach it.
   */
  private async visible(caller: Caller, scope: Scope, read: Decision, docs: AssignmentDoc[]): Promise<AssignmentDoc[]> {
    const onCustomer = customerScope(scope.customerId);
    if (scope.subscriptionId) {
      const facts = await this.directory.subscriptions.findById(scope.subscriptionId, { partnerId: 1, resellerId: 1 }).lean();
      return docs.filter((d) => d.scope !== onCustomer || (!!facts && sells(facts, d.viaPartnerId)));
    }
    const subOf = (d: AssignmentDoc) => {
      const s = tryParseScope(d.scope);
      return s?.subscriptionId ? subscriptionScope(s.customerId, s.subscriptionId) : undefined;
    };
    const paths = [...new Set(docs.flatMap((d) => subOf(d) ?? []))];
    const answers = paths.length
      ? await this.decisions.decideMany(caller, paths.map((p) => ({ scope: parseScope(p), action: ACTIONS.assignmentsRead })))
      : [];
    const readable = new Set(paths.filter((_, i) => answers[i].allowed));
    return docs.filter((d) => {
      const sub = subOf(d);
      if (sub) return readable.has(sub);
      // The operator's read derives from no partner: it sees every partner's.
      return caller.kind === 'OPERATOR' || d.viaPartnerId === read.viaPartnerId;
    });
  }

  /**
   * For many subscriptions at once (entity field): one query, grouped per subscription scope.
   * `sellers` gives each scope's subscription facts: inherited customer-scope assignments are
   * listed only where they reach the subscription (see `visible`).
   */
  async listForScopes(scopes: Scope[], sellers: Map<string, Pick<SubscriptionDoc, 'partnerId' | 'resellerId'>>): Promise<Map<string, AssignmentDoc[]>> {
    const out = new Map<string, AssignmentDoc[]>(scopes.map((s) => [s.path, []]));
    if (!scopes.length) return out;
    // Every scope lies under one customer and an assignment carries its scope's customer: one
    // equality on customerId (pushed down to the store's index) instead of an `$or` scan of all.
    const docs = await this.assignments
      .find({ customerId: { $in: [...new Set(scopes.map((s) => s.customerId))] } })
      .sort({ _id: 1 })
      .lean<AssignmentDoc[]>();
    for (const s of scopes) {
      const above = new Set(scopeChain(s));
      out.set(
        s.path,
        docs
          .filter((d) => above.has(d.scope) || d.scopeChain.includes(s.path))
          .filter((d) => {
            const facts = sellers.get(s.path);
            return d.scope !== customerScope(s.customerId) || (!!facts && sells(facts, d.viaPartnerId));
          })
          .slice(0, LIST_LIMIT),
      );
    }
    return out;
  }

  /** Whether the seed rule's OWNER grant of this group on the subscription exists (in force or not). */
  async ownerSeeded(facts: { subscriptionId: string; customerId: string; adminAgentsGroupId: string }): Promise<boolean> {
    const scope = subscriptionScope(facts.customerId, facts.subscriptionId);
    return !!(await this.assignments.exists({ principalId: facts.adminAgentsGroupId, role: 'OWNER', scope }));
  }

  /**
   * Seed rule: on provisioning the partner's admin-agents group becomes Owner of the subscription.
   * `seeded` runs once the grant is stored and decisions know it, before its audit record (the
   * provisioning worker waiting for the grant need not wait for the record too).
   */
  async seedOwner(facts: { subscriptionId: string; customerId: string; adminAgentsGroupId: string; partnerId?: string }, seeded?: () => Promise<void>): Promise<void> {
    const scope = parseScope(subscriptionScope(facts.customerId, facts.subscriptionId));
    // The group is its partner of record's: that partner's tier is read beside the group, not after it.
    const [group, partnerIsReseller] = await Promise.all([
      this.directory.groups.findById(facts.adminAgentsGroupId).lean(),
      facts.partnerId ? this.directory.isReseller(facts.partnerId) : undefined,
    ]);
    const owner = group?.ownerKind === 'PARTNER' ? group.ownerId : undefined;
    const ownerIsReseller = owner && (owner === facts.partnerId ? partnerIsReseller : await this.directory.isReseller(owner));
    const requiresRelationshipOf = ownerIsReseller ? owner : undefined;
    const { doc, created } = await this.insertOnce({
      _id: newId('ra'),
      principalId: facts.adminAgentsGroupId,
      principalKind: 'GROUP',
      role: 'OWNER',
      scope: scope.path,
      scopeChain: scopeChain(scope),
      customerId: facts.customerId,
      source: 'PROVISIONING',
      ...(requiresRelationshipOf ? { requiresRelationshipOf } : {}),
      createdAt: this.clock.now(),
    });
    if (!created) return seeded?.();
    await this.decisions.changed();
    await seeded?.();
    await this.audit.record('system', 'roleAssignment.granted', doc._id, { principalId: doc.principalId, role: doc.role, scope: doc.scope, source: doc.source }, doc.customerId);
  }

  /**
   * Whether the seed rule's OWNER grant of a subscription is in force: the grant exists, the
   * subscription is known under that customer (decisions reach only scopes they know), and a
   * reseller's grant has its relationship with the customer.
   */
  async ownerGrantInForce(subscriptionId: string, customerId: string): Promise<boolean> {
    const [grant, sub] = await Promise.all([
      this.assignments
        .findOne({ scope: subscriptionScope(customerId, subscriptionId), role: 'OWNER', source: 'PROVISIONING' }, { requiresRelationshipOf: 1 })
        .lean<Pick<AssignmentDoc, 'requiresRelationshipOf'>>(),
      this.directory.subscriptions.findById(subscriptionId, { customerId: 1 }).lean<Pick<SubscriptionDoc, 'customerId'>>(),
    ]);
    if (!grant || sub?.customerId !== customerId) return false;
    return !grant.requiresRelationshipOf || this.directory.hasActiveRelationship(grant.requiresRelationshipOf, customerId);
  }

  /**
   * Tier 2, step 1: a reseller's group can be given a role on a customer's scope only while the
   * reseller holds an active relationship with that customer. Returns the reseller to re-check
   * at decision time (step 1 can be undone later).
   */
  private async requireTier2Step1(ownerKind: 'PARTNER' | 'CUSTOMER', ownerId: string, scope: Scope): Promise<string | undefined> {
    if (ownerKind !== 'PARTNER' || !(await this.directory.isReseller(ownerId))) return undefined;
    if (!(await this.directory.hasActiveRelationship(ownerId, scope.customerId))) {
      throw forbidden(
        `Tier-2 step 1 is missing: reseller ${ownerId} has no active relationship with customer ${scope.customerId}. ` +
          'The reseller must first hold an active relationship with the customer; only then can its group be added to a role on the customer\'s subscription (step 2).',
      );
    }
    return ownerId;
  }

  /** Insert-to-claim on (principal, role, scope): the loser of a race or a repeat gets the existing one. */
  private async insertOnce(doc: AssignmentDoc): Promise<{ doc: AssignmentDoc; created: boolean }> {
    try {
      await this.assignments.create(doc);
      return { doc, created: true };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const existing = await this.assignments.findOne({ principalId: doc.principalId, role: doc.role, scope: doc.scope }).lean<AssignmentDoc>();
      if (!existing) throw err;
      return { doc: existing, created: false };
    }
  }
}
