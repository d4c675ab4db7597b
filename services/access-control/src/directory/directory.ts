import { isDuplicateKey } from '@csp/kernel';
import type { Model } from 'mongoose';
import type { CustomerDoc } from './customer.model';
import type { GroupDoc } from './group.model';
import type { PartnerDoc } from './partner.model';
import { relationshipId, type RelationshipDoc } from './relationship.model';
import type { SubscriptionDoc } from './subscription.model';

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
  ) {}

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
    return !(await this.groups.exists({ memberIds: principalId, ownerKind: 'PARTNER' }));
  }

  /** Idempotent upsert whose losing concurrent insert is harmless. */
  async upsert<D extends { _id: string }>(model: Model<D>, id: string, update: object): Promise<void> {
    try {
      await model.updateOne({ _id: id } as never, update as never, { upsert: true });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      await model.updateOne({ _id: id } as never, update as never);
    }
  }
}
