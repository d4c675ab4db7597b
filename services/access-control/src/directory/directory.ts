import type { Model } from 'mongoose';
import type { CustomerDoc } from './customer.model';
import type { GroupDoc } from './group.model';
import type { PartnerDoc } from './partner.model';
import { relationshipId, type RelationshipDoc } from './relationship.model';
import { sells, type SubscriptionDoc } from './subscription.model';
import type { DirectoryUserDoc } from './user.model';

/**
 * What access-control knows of partners, customers, groups, relationships and subscriptions:
 * read models fed by identity's and subscription's events, never their databases.
 */
export class Directory {
  constructor(
    readonly partners: Model<PartnerDoc>,
    readonly groups: Model<GroupDoc>,
    readonly customers: Model<CustomerDoc>,
    readonly relationships: Model<RelationshipDoc>,
    readonly subscriptions: Model<SubscriptionDoc>,
    readonly users: Model<DirectoryUserDoc>,
  ) {}

  /**
   * Whether a user may hold a role on `scope`: a customer user of that very customer, or a
   * partner user of a partner that sells the subscription named or holds an active relationship
   * with the customer. Unknown users may not (identity announces every user: user.rolesChanged).
   */
  async userBelongsTo(userId: string, scope: { customerId: string; subscriptionId?: string }): Promise<DirectoryUserDoc | null> {
    const u = await this.users.findById(userId).lean<DirectoryUserDoc>();
    if (!u?.kind) return null;
    if (u.kind === 'CUSTOMER_USER') return u.customerId === scope.customerId ? u : null;
    if (!u.partnerId) return null;
    if (scope.subscriptionId) {
      const sub = await this.subscriptions.findById(scope.subscriptionId, { partnerId: 1, resellerId: 1, customerId: 1 }).lean();
      if (sub && sub.customerId === scope.customerId && sells(sub, u.partnerId)) return u;
    }
    return (await this.hasActiveRelationship(u.partnerId, scope.customerId)) ? u : null;
  }

  async isReseller(partnerId: string): Promise<boolean> {
    const p = await this.partners.findById(partnerId, { tier: 1 }).lean();
    return p?.tier === 'INDIRECT_RESELLER';
  }

  async hasActiveRelationship(partnerId: string, customerId: string): Promise<boolean> {
    const r = await this.relationships.findById(relationshipId(partnerId, customerId), { status: 1 }).lean();
    return r?.status === 'ACTIVE';
  }

  /**
   * A customer principal: a customer's group, or a user not known as a member of any partner
   * group (identity announces no user events, so an unknown user counts as the customer's).
   */
  async isCustomerPrincipal(principalId: string, kind: 'USER' | 'GROUP'): Promise<boolean> {
    if (kind === 'GROUP') {
      const g = await this.groups.findById(principalId, { ownerKind: 1 }).lean();
      return g?.ownerKind === 'CUSTOMER';
    }
    const u = await this.users.findById(principalId, { kind: 1 }).lean();
    if (u?.kind) return u.kind === 'CUSTOMER_USER';
    return !(await this.groups.exists({ memberIds: principalId, ownerKind: 'PARTNER' }));
  }

  /** Idempotent upsert whose losing concurrent insert is harmless. */

}
