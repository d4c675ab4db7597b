import type { Caller } from '@csp/kernel';
import type { Model } from 'mongoose';
import { ACTIVE_LINK, type ResellerLinkDoc } from '../partners/reseller-link.model';
import type { RelationshipDoc } from '../relationships/relationship.model';

/**
 * What one caller may see, computed once per request:
 * - operator: everything;
 * - partner user: its own partner, and for a distributor its resellers whose admin accepted the
 *   link (a PENDING invitation opens nothing); the customers any
 *   of those partners holds an ACTIVE relationship with;
 * - customer user: only its own tenant.
 * Anything else answers NOT_FOUND, exactly like an unknown id.
 */
export type View =
  | { all: true }
  | {
      all: false;
      /** Partners whose details (customers, resellers) the caller may read. */
      partnerIds: Set<string>;
      customerIds: Set<string>;
    };

export const seesPartner = (view: View, id: string) => view.all || view.partnerIds.has(id);
export const seesCustomer = (view: View, id: string) => view.all || view.customerIds.has(id);

export class Visibility {
  constructor(
    private readonly relationships: Model<RelationshipDoc>,
    private readonly links: Model<ResellerLinkDoc>,
  ) {}

  async of(caller: Caller | null): Promise<View> {
    if (!caller) return { all: false, partnerIds: new Set(), customerIds: new Set() };
    if (caller.kind === 'OPERATOR') return { all: true };
    if (caller.kind === 'CUSTOMER_USER' && caller.customerId) {
      return { all: false, partnerIds: new Set(), customerIds: new Set([caller.customerId]) };
    }
    // Partner users, and a partner's machine client acting for its partner.
    if (caller.partnerId && (caller.kind === 'PARTNER_USER' || caller.kind === 'SERVICE')) {
      const partnerIds = new Set([caller.partnerId, ...(await this.resellersOf(caller.partnerId))]);
      return { all: false, partnerIds, customerIds: await this.customersOf([...partnerIds]) };
    }
    return { all: false, partnerIds: new Set(), customerIds: new Set() };
  }

  /** Resellers actively linked to this distributor. */
  async resellersOf(distributorId: string): Promise<string[]> {
    const links = await this.links.find({ distributorId, ...ACTIVE_LINK }, { resellerId: 1 }).lean<Pick<ResellerLinkDoc, 'resellerId'>[]>();
    return links.map((l) => l.resellerId);
  }

  /** Customers with an ACTIVE relationship with any of these partners. */
  async customersOf(partnerIds: string[]): Promise<Set<string>> {
    const rels = await this.relationships
      .find({ partnerId: { $in: partnerIds }, status: 'ACTIVE' }, { customerId: 1 })
      .lean<Pick<RelationshipDoc, 'customerId'>[]>();
    return new Set(rels.map((r) => r.customerId));
  }
}
