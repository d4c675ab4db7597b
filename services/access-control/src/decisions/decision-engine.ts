import type { Caller } from '@csp/kernel';
import type { Model } from 'mongoose';
import type { AssignmentDoc } from '../assignments/assignment.model';
import type { GroupDoc } from '../directory/group.model';
import { sells, type SubscriptionDoc } from '../directory/subscription.model';
import { relationshipId, type RelationshipDoc } from '../directory/relationship.model';
import type { AdminAccessDoc } from '../gdap/admin-access.model';
import { effectiveStatus, type AdminRelationshipDoc } from '../gdap/admin-relationship.model';
import type { RoleCatalog } from '../roles/role-catalog';
import { customerScope, scopeChain, type Scope } from '../scopes/scope';

export type DecisionCaller = Pick<Caller, 'userId' | 'kind' | 'groupIds'> & Partial<Pick<Caller, 'partnerId' | 'customerId'>>;

export interface Decision {
  allowed: boolean;
  reason: string;
  /** Epoch ms (domain clock) after which the decision must be recomputed (GDAP end). */
  validUntil?: number;
  /**
   * For an allow that comes from the customer scope (GDAP, or an assignment on /customers/{c}):
   * the partner it derives from. A grant made on the customer scope carries it on, so what it
   * gives reaches only that partner's subscriptions too.
   */
  viaPartnerId?: string;
}

export interface DecisionRequest {
  scope: Scope;
  action: string;
}

export interface DecisionStores {
  assignments: Model<AssignmentDoc>;
  groups: Model<GroupDoc>;
  relationships: Model<RelationshipDoc>;
  adminRelationships: Model<AdminRelationshipDoc>;
  adminAccess: Model<AdminAccessDoc>;
  subscriptions: Model<SubscriptionDoc>;
}

/** What the decision needs of a subscription named in a scope (the subscription read model). */
export type SubscriptionFacts = Pick<SubscriptionDoc, '_id' | 'customerId' | 'partnerId' | 'resellerId'>;

/**
 * The one decision function: role assignments to the caller or its groups on the scope or above
 * it, tier-2 conditions and GDAP relationships, all evaluated against the store and the clock
 * at decision time. A batch of requests costs a fixed number of store queries.
 *
 * A scope that names a subscription exists only when the subscription read model knows that
 * subscription under that very customer; otherwise it is denied to everyone with the same
 * reason as any other denial, so the answer shows neither that the subscription exists nor
 * whose it is. Rights that reach a subscription from the customer scope (GDAP, assignments on
 * /customers/{c}) apply only to subscriptions sold by the partner they derive from.
 */
export class DecisionEngine {
  constructor(private readonly stores: DecisionStores, private readonly roles: RoleCatalog) {}

  /**
   * The caller's groups: the membership read model is authoritative for groups it knows
   * members of (so a removal applies before the token expires); groups it does not know yet
   * are taken from the token.
   */
  async groupsOf(caller: DecisionCaller): Promise<string[]> {
    const tokenGroups = caller.groupIds ?? [];
    const known = await this.stores.groups
      .find({ $or: [{ _id: { $in: tokenGroups } }, { memberIds: caller.userId }] }, { memberIds: 1 })
      .lean<GroupDoc[]>();
    const byId = new Map(known.map((g) => [g._id, g]));
    const groups = new Set<string>();
    for (const id of tokenGroups) {
      const g = byId.get(id);
      if (!g || !g.memberIds) groups.add(id);
    }
    for (const g of known) if (g.memberIds?.includes(caller.userId)) groups.add(g._id);
    return [...groups].sort();
  }

  /**
   * Facts of the subscriptions the requests name, by id: at most one query per batch, none for
   * those the caller already read from the same read model (`known`).
   */
  private async subscriptionFacts(requests: DecisionRequest[], known: SubscriptionFacts[] = []): Promise<Map<string, SubscriptionFacts>> {
    const facts = new Map(known.map((d) => [d._id, d]));
    const ids = [...new Set(requests.flatMap((r) => (r.scope.subscriptionId && !facts.has(r.scope.subscriptionId) ? [r.scope.subscriptionId] : [])))];
    if (!ids.length) return facts;
    const docs = await this.stores.subscriptions
      .find({ _id: { $in: ids } }, { customerId: 1, partnerId: 1, resellerId: 1 })
      .lean<SubscriptionFacts[]>();
    for (const d of docs) facts.set(d._id, d);
    return facts;
  }

  async decideMany(caller: DecisionCaller, requests: DecisionRequest[], now: Date, known?: SubscriptionFacts[]): Promise<Decision[]> {
    if (caller.kind === 'SERVICE') {
      return requests.map(() => ({ allowed: false, reason: 'Machine clients hold no role assignments.' }));
    }
    const [facts, groups] = await Promise.all([
      this.subscriptionFacts(requests, known),
      caller.kind === 'OPERATOR' ? Promise.resolve([] as string[]) : this.groupsOf(caller),
    ]);
    const who = describeCaller(caller.userId, groups);
    /** The subscription a scope names, or null when the scope does not exist (for anyone). */
    const subscriptionOf = (scope: Scope): SubscriptionFacts | null | undefined => {
      if (!scope.subscriptionId) return undefined;
      const f = facts.get(scope.subscriptionId);
      return f && f.customerId === scope.customerId ? f : null;
    };
    if (caller.kind === 'OPERATOR') {
      return requests.map((r) => (subscriptionOf(r.scope) === null ? nothingGives(who, r) : operatorDecision(r)));
    }
    const principals = [caller.userId, ...groups];
    const chains = requests.map((r) => scopeChain(r.scope));
    const allScopes = [...new Set(chains.flat())];
    const customers = [...new Set(requests.map((r) => r.scope.customerId))];

    const [assignments, accesses] = await Promise.all([
      this.stores.assignments.find({ principalId: { $in: principals }, scope: { $in: allScopes } }).lean<AssignmentDoc[]>(),
      groups.length
        ? this.stores.adminAccess.find({ groupId: { $in: groups }, customerId: { $in: customers } }).lean<AdminAccessDoc[]>()
        : Promise.resolve([] as AdminAccessDoc[]),
    ]);
    // A partner user acts on a subscription only while its sale's relationship (the reseller's,
    // else the partner of record's) with the customer is ACTIVE: a revoked customer is nobody's.
    const sellerRel = (f: SubscriptionFacts) => relationshipId(f.resellerId ?? f.partnerId, f.customerId);
    const sellerIds =
      caller.kind === 'PARTNER_USER' ? requests.flatMap((r) => { const f = subscriptionOf(r.scope); return f ? [sellerRel(f)] : []; }) : [];
    const conditionIds = [
      ...new Set([...assignments.filter((a) => a.requiresRelationshipOf).map((a) => relationshipId(a.requiresRelationshipOf!, a.customerId)), ...sellerIds]),
    ];
    const [relationships, adminRels] = await Promise.all([
      conditionIds.length ? this.stores.relationships.find({ _id: { $in: conditionIds } }).lean<RelationshipDoc[]>() : Promise.resolve([]),
      accesses.length
        ? this.stores.adminRelationships.find({ _id: { $in: [...new Set(accesses.map((a) => a.relationshipId))] } }).lean<AdminRelationshipDoc[]>()
        : Promise.resolve([]),
    ]);
    const activeRel = new Set(relationships.filter((r) => r.status === 'ACTIVE').map((r) => r._id));
    const adminById = new Map(adminRels.map((r) => [r._id, r]));

    return requests.map((req, i) => {
      if (caller.kind === 'CUSTOMER_USER' && caller.customerId !== req.scope.customerId) {
        // Defence in depth: a customer's users never act in another tenant, whatever was granted.
        return { allowed: false, reason: `A customer user acts only within its own customer; ${req.scope.path} belongs to another.` };
      }
      const sub = subscriptionOf(req.scope);
      // Unknown, or named under another customer: the scope does not exist; answered like any
      // plain denial, so it shows neither that the subscription exists nor whose it is.
      if (sub === null) return nothingGives(who, req);
      // The same plain denial: it must not tell a stranger that the relationship ended.
      if (sub && caller.kind === 'PARTNER_USER' && !activeRel.has(sellerRel(sub))) return nothingGives(who, req);
      const chain = new Set(chains[i]);
      const notes: string[] = [];
      // Most specific scope first, so the reason names the closest grant.
      const candidates = assignments.filter((a) => chain.has(a.scope)).sort((a, b) => b.scope.length - a.scope.length);
      const onCustomer = customerScope(req.scope.customerId);
      for (const a of candidates) {
        if (!this.roles.allows(a.role, req.action)) continue;
        // From the customer scope, a role reaches only the subscriptions of the partner it was
        // delegated by (no note: it would tell whose the subscription is).
        if (sub && a.scope === onCustomer && !(a.viaPartnerId && sells(sub, a.viaPartnerId))) continue;
        if (a.requiresRelationshipOf && !activeRel.has(relationshipId(a.requiresRelationshipOf, a.customerId))) {
          notes.push(
            `Role assignment ${a._id} (${a.role} for ${a.principalId} on ${a.scope}) does not apply: reseller ${a.requiresRelationshipOf} has no active relationship with customer ${a.customerId}.`,
          );
          continue;
        }
        return {
          allowed: true,
          reason: `Allowed by role assignment ${a._id}: ${a.role} for ${a.principalId} on ${a.scope}${a.scope === req.scope.path ? '' : ' (inherited)'}.`,
          ...(a.scope === onCustomer && a.viaPartnerId ? { viaPartnerId: a.viaPartnerId } : {}),
        };
      }
      for (const access of accesses) {
        if (access.customerId !== req.scope.customerId) continue;
        const rel = adminById.get(access.relationshipId);
        const role = access.roles.find((r) => this.roles.allows(r, req.action));
        if (!rel || !role) continue;
        // GDAP administers the customer's tenant for that partner only: it does not reach a
        // subscription another partner sells (partner of record and reseller both another).
        if (sub && !sells(sub, rel.partnerId)) continue;
        const status = effectiveStatus(rel, now);
        if (status !== 'ACTIVE') {
          notes.push(
            `Admin relationship ${rel._id} is ${status}${status === 'EXPIRED' ? ` since ${rel.endsAt!.toISOString()}` : ''} and grants nothing.`,
          );
          continue;
        }
        return {
          allowed: true,
          reason: `Allowed by admin relationship ${rel._id}: group ${access.groupId} as ${role} on ${customerScope(rel.customerId)} until ${rel.endsAt!.toISOString()}.`,
          validUntil: rel.endsAt!.getTime(),
          viaPartnerId: rel.partnerId,
        };
      }
      const held = candidates.filter((a) => !this.roles.allows(a.role, req.action));
      if (held.length) notes.push(`Held roles ${[...new Set(held.map((a) => a.role))].join(', ')} do not include "${req.action}".`);
      return nothingGives(who, req, notes);
    });
  }
}

/** The plain denial; also the answer for scopes that do not exist, so it reveals nothing more. */
function nothingGives(who: string, r: DecisionRequest, notes: string[] = []): Decision {
  return { allowed: false, reason: [`No role assignment or active admin relationship gives ${who} "${r.action}" on ${r.scope.path}.`, ...notes].join(' ') };
}

/** The vendor operator reads everything but manages no customer's resources (seed rule). */
function operatorDecision(r: DecisionRequest): Decision {
  if (r.action.endsWith('/read')) return { allowed: true, reason: 'The vendor operator may read every scope.' };
  return {
    allowed: false,
    reason: `The vendor operator may read every scope but holds no right to "${r.action}" on customers' resources; the partner controls access.`,
  };
}

function describeCaller(userId: string, groups: string[]): string {
  return groups.length ? `${userId} or its groups (${groups.join(', ')})` : userId;
}
