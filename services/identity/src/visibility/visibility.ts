import type { Caller } from '@csp/kernel';
import type { Model } from 'mongoose';
import { ACTIVE_LINK, type ResellerLinkDoc } from '../partners/reseller-link.model';
import type { CustomerDoc } from '../customers/customer.model';
import type { RelationshipDoc } from '../relationships/relationship.model';

/**
 * What one caller may see, computed once per request:
 * - operator: everything;
 * - partner user: its own partner, and for a distributor its resellers whose admin accepted the
 *   link (a PENDING invitation opens nothing); the customers its partner holds an ACTIVE
 *   relationship with and, for a distributor, those of its resellers whose business runs through
 *   it (created by it for the reseller, or the reseller has no other distributor) — never a
 *   reseller's customer served through another distributor;
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
      /** The caller's own partner (partner users and partner clients). */
      ownPartnerId?: string;
      /** For a distributor: the resellers' customers whose business runs through it. */
      viaResellers?: Set<string>;
    };

export const seesPartner = (view: View, id: string) => view.all || view.partnerIds.has(id);
export const seesCustomer = (view: View, id: string) => view.all || view.customerIds.has(id);

export class Visibility {
  constructor(
    private readonly relationships: Model<RelationshipDoc>,
    private readonly links: Model<ResellerLinkDoc>,
    private readonly customers: Model<CustomerDoc>,
  ) {}

  async of(caller: Caller | null): Promise<View> {
    if (!caller) return { all: false, partnerIds: new Set(), customerIds: new Set() };
    if (caller.kind === 'OPERATOR') return { all: true };
    if (caller.kind === 'CUSTOMER_USER' && caller.customerId) {
      return { all: false, partnerIds: new Set(), customerIds: new Set([caller.customerId]) };
    }
    // Partner users, and a partner's machine client acting for its partner.
    if (caller.partnerId && (caller.kind === 'PARTNER_USER' || caller.kind === 'SERVICE')) {
      const resellers = await this.resellersOf(caller.partnerId);
      const [own, viaResellers] = await Promise.all([this.customersOf([caller.partnerId]), this.throughDistributor(caller.partnerId, resellers)]);
      return {
        all: false,
        partnerIds: new Set([caller.partnerId, ...resellers]),
        customerIds: new Set([...own, ...viaResellers]),
        ownPartnerId: caller.partnerId,
        viaResellers,
      };
    }
    return { all: false, partnerIds: new Set(), customerIds: new Set() };
  }

  /**
   * Partners a caller may name though it may not read their details: a customer user's partners
   * (any relationship, revoked ones too: old invoices name them) and their distributors; a
   * partner's distributors.
   */
  async relatedPartnersOf(caller: Caller | null): Promise<Set<string>> {
    if (!caller) return new Set();
    let partners: string[] = [];
    if (caller.kind === 'CUSTOMER_USER' && caller.customerId) {
      const rels = await this.relationships.find({ customerId: caller.customerId }, { partnerId: 1 }).lean<Pick<RelationshipDoc, 'partnerId'>[]>();
      partners = rels.map((r) => r.partnerId);
    } else if (caller.partnerId) {
      partners = [caller.partnerId];
    }
    if (!partners.length) return new Set();
    const links = await this.links.find({ resellerId: { $in: partners }, ...ACTIVE_LINK }, { distributorId: 1 }).lean<Pick<ResellerLinkDoc, 'distributorId'>[]>();
    return new Set([...partners, ...links.map((l) => l.distributorId)]);
  }

  /** Resellers actively linked to this distributor. */
  async resellersOf(distributorId: string): Promise<string[]> {
    const links = await this.links.find({ distributorId, ...ACTIVE_LINK }, { resellerId: 1 }).lean<Pick<ResellerLinkDoc, 'resellerId'>[]>();
    return links.map((l) => l.resellerId);
  }

  /**
   * The resellers' customers whose business runs through this distributor, the way orders are
   * billed: a customer the distributor created for the reseller, or any customer of a reseller
   * that has no other distributor. (A customer created through another distributor is not.)
   */
  async throughDistributor(distributorId: string, resellerIds: string[]): Promise<Set<string>> {
    if (!resellerIds.length) return new Set();
    const [rels, links] = await Promise.all([
      this.relationships.find({ partnerId: { $in: resellerIds }, status: 'ACTIVE' }, { customerId: 1, partnerId: 1 }).lean<Pick<RelationshipDoc, 'customerId' | 'partnerId'>[]>(),
      this.links.find({ resellerId: { $in: resellerIds }, ...ACTIVE_LINK }, { resellerId: 1 }).lean<Pick<ResellerLinkDoc, 'resellerId'>[]>(),
    ]);
    const distributorsOf = new Map<string, number>();
    for (const l of links) distributorsOf.set(l.resellerId, (distributorsOf.get(l.resellerId) ?? 0) + 1);
    const customers = rels.length
      ? await this.customers.find({ _id: { $in: [...new Set(rels.map((r) => r.customerId))] } }, { partnerId: 1, distributorId: 1 }).lean<Pick<CustomerDoc, '_id' | 'partnerId' | 'distributorId'>[]>()
      : [];
    const byId = new Map(customers.map((c) => [c._id, c]));
    const out = new Set<string>();
    for (const r of rels) {
      const c = byId.get(r.customerId);
      const named = c && c.partnerId === r.partnerId && c.distributorId;
      if (named ? c.distributorId === distributorId : distributorsOf.get(r.partnerId) === 1) out.add(r.customerId);
    }
    return out;
  }

  /** Customers with an ACTIVE relationship with any of these partners. */
  async customersOf(partnerIds: string[]): Promise<Set<string>> {
    const rels = await this.relationships
      .find({ partnerId: { $in: partnerIds }, status: 'ACTIVE' }, { customerId: 1 })
      .lean<Pick<RelationshipDoc, 'customerId'>[]>();
    return new Set(rels.map((r) => r.customerId));
  }
}
