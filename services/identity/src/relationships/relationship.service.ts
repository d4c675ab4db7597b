import { createHash, randomBytes } from 'node:crypto';
import { event } from '@csp/events';
import { badInput, forbidden, isDuplicateKey, notFound, type AggregateLocks, type Caller, type Clock } from '@csp/kernel';
import type { CustomerDoc } from '../customers/customer.model';
import { normalizeDomain } from '../customers/customer.service';
import type { MarketDirectory } from '../markets/market-directory';
import type { PartnerDoc } from '../partners/partner.model';
import type { UserDoc } from '../users/user.model';
import type { RelationshipRequestDoc } from './relationship-request.model';
import { relationshipId, type RelationshipDoc, type RelationshipStatus } from './relationship.model';
import type { IdentityModels } from '../models';

/** Generous wait: a busy store must not turn a valid request into an error. */
const LOCK = { waitMs: 10_000 };

const hashCode = (code: string) => createHash('sha256').update(code.trim()).digest('hex');

export class RelationshipService {
  constructor(
    private readonly models: Pick<IdentityModels, 'relationships' | 'relationshipRequests' | 'requestClaims' | 'customers' | 'partners' | 'users'>,
    private readonly markets: MarketDirectory,
    private readonly locks: AggregateLocks,
    private readonly clock: Clock,
    private readonly requestTtlDays: number,
  ) {}

  /** A direct provider or reseller asks an existing customer (by domain) for a relationship. */
  async createRequest(caller: Caller, customerDomain: string): Promise<{ code: string; expiresAt: Date }> {
    const partner = caller.kind === 'PARTNER_USER' && caller.partnerId ? await this.models.partners.findById(caller.partnerId).lean<PartnerDoc>() : null;
    if (!partner) throw forbidden('Only a partner user requests a relationship.');
    if (partner.tier === 'INDIRECT_PROVIDER') {
      throw forbidden('A distributor reaches customers through its resellers; the reseller requests the relationship.');
    }
    const domain = normalizeDomain(customerDomain, 'customerDomain');
    const customer = await this.models.customers.findOne({ domain, status: 'ACTIVE' }).lean<CustomerDoc>();
    const code = randomBytes(18).toString('base64url');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.requestTtlDays * 24 * 3600 * 1000);
    // No existence oracle (hole 5): an unknown domain, a customer outside the partner's market and
    // one it already works with all get a code that looks alike and that no customer can accept —
    // so the answer tells no one which companies are on the platform, or where.
    const eligible =
      !!customer &&
      (await this.markets.covers(partner.market, customer.country)) &&
      (await this.models.relationships.findById(relationshipId(partner._id, customer._id)).lean<RelationshipDoc>())?.status !== 'ACTIVE';
    if (!eligible) return { code, expiresAt };
    await this.models.relationshipRequests.create({ _id: hashCode(code), partnerId: partner._id, customerId: customer._id, requestedBy: caller.userId, expiresAt, createdAt: now });
    return { code, expiresAt };
  }

  /**
   * The customer's admin accepts: the code is claimed by a unique insert (single use even
   * under a race), then the relationship turns ACTIVE. An expired code is refused unclaimed.
   */
  async accept(caller: Caller, code: string): Promise<RelationshipDoc> {
    if (caller.kind !== 'CUSTOMER_USER' || !caller.customerId) throw forbidden("Only the customer's admin accepts a relationship request.");
    const user = await this.models.users.findById(caller.userId, { admin: 1 }).lean<Pick<UserDoc, 'admin'>>();
    if (!user?.admin) throw forbidden("Only the customer's admin accepts a relationship request.");
    const id = hashCode(code);
    const request = await this.models.relationshipRequests.findById(id).lean<RelationshipRequestDoc>();
    // Another tenant's code answers like an unknown one.
    if (!request || request.customerId !== caller.customerId) throw notFound('Relationship request');
    if (request.expiresAt.getTime() <= this.clock.now().getTime()) {
      throw badInput('This relationship request has expired; ask the partner for a new one.', 'code');
    }
    try {
      await this.models.requestClaims.create({ _id: id, claimedBy: caller.userId, claimedAt: this.clock.now() });
    } catch (err) {
      if (isDuplicateKey(err)) throw badInput('This relationship request has already been used.', 'code');
      throw err;
    }
    try {
      return await this.setStatus(request.partnerId, request.customerId, 'ACTIVE');
    } catch (err) {
      await this.models.requestClaims.deleteOne({ _id: id, claimedBy: caller.userId }); // not applied: the code stays usable
      throw err;
    }
  }

  /** The partner ends its own relationship (the operator may end any). */
  async revoke(caller: Caller, customerId: string, partnerIdArg?: string | null): Promise<RelationshipDoc> {
    let partnerId: string;
    if (caller.kind === 'OPERATOR') {
      if (!partnerIdArg) throw badInput('The operator names the partner whose relationship ends.', 'partnerId');
      partnerId = partnerIdArg;
    } else if (caller.kind === 'PARTNER_USER' && caller.partnerId) {
      if (partnerIdArg && partnerIdArg !== caller.partnerId) throw notFound('Relationship');
      partnerId = caller.partnerId;
    } else {
      throw forbidden('Only the partner revokes its relationship.');
    }
    const current = await this.models.relationships.findById(relationshipId(partnerId, customerId)).lean<RelationshipDoc>();
    if (!current || current.status !== 'ACTIVE') throw notFound('Relationship');
    return this.setStatus(partnerId, customerId, 'REVOKED');
  }

  /** One writer per relationship document (the relay pulls its outbox under the same lock). */
  private async setStatus(partnerId: string, customerId: string, status: RelationshipStatus): Promise<RelationshipDoc> {
    const id = relationshipId(partnerId, customerId);
    return this.locks.hold(this.models.relationships.collection.name, id, async () => {
      const now = this.clock.now();
      const current = await this.models.relationships.findById(id).lean<RelationshipDoc>();
      if (current?.status === status) return current;
      const ev = event(status === 'ACTIVE' ? 'relationship.established' : 'relationship.revoked', { customerId, partnerId }, this.clock);
      if (!current) {
        const doc: RelationshipDoc = { _id: id, partnerId, customerId, status, createdAt: now, updatedAt: now, outbox: [ev] };
        await this.models.relationships.create(doc);
        return doc;
      }
      await this.models.relationships.updateOne({ _id: id }, { $set: { status, updatedAt: now }, $push: { outbox: ev } });
      return { ...current, status, updatedAt: now };
    }, LOCK);
  }
}
