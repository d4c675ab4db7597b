import { event, type PartnerTier } from '@csp/events';
import { auditTarget, badInput, cleanName, countryCode, crashPoint, currencyCode, forbidden, isDuplicateKey, newId, notFound, type AggregateLocks, type Caller, type Clock } from '@csp/kernel';
import type { GroupDoc } from '../groups/group.model';
import { taxIdOf } from '../markets/tax-id';
import type { MarketDirectory } from '../markets/market-directory';
import { checkPassword, normalizeEmail, type UserAccounts } from '../users/user-accounts';
import type { UserDoc } from '../users/user.model';
import type { PartnerDoc } from './partner.model';
import type { ResellerLinkDoc } from './reseller-link.model';
import type { IdentityModels } from '../models';

export const ADMIN_AGENTS_GROUP = 'Admin agents';

export interface OnboardPartner {
  name: string;
  tier: PartnerTier;
  country: string;
  currency?: string | null;
  taxId?: string | null;
  adminEmail: string;
  adminPassword: string;
}

export class PartnerService {
  constructor(
    private readonly models: Pick<IdentityModels, 'partners' | 'resellerLinks' | 'groups' | 'users'>,
    private readonly accounts: UserAccounts,
    private readonly markets: MarketDirectory,
    private readonly locks: AggregateLocks,
    private readonly clock: Clock,
  ) {}

  /**
   * Operator onboards a partner: its first admin user, an "Admin agents" group holding that
   * user, then the partner document itself with its events (the partner exists once that
   * single write lands).
   */
  async onboard(input: OnboardPartner): Promise<{ partner: PartnerDoc; admin: UserDoc }> {
    const name = cleanName(input.name, 'name', 200);
    const country = countryCode(input.country);
    const taxId = taxIdOf(input.taxId, country);
    const email = normalizeEmail(input.adminEmail);
    checkPassword(input.adminPassword);
    const market = await this.markets.ofCountry(country);
    // The vendor agreement bills in the market's currency or another the vendor prices in.
    const currency = input.currency
      ? currencyCode(input.currency, 'currency', [...new Set([market.currency, ...(await this.markets.currencies())])])
      : market.currency;

    const partnerId = newId('ptn');
    // The record's target is the new partner, known only here (the first write with events carries it).
    auditTarget(partnerId);
    const admin = await this.accounts.create({ email, password: input.adminPassword, kind: 'PARTNER_USER', partnerId, admin: true, pendingTenant: true });
    crashPoint('partner.admin-created');
    const now = this.clock.now();
    const group: GroupDoc = {
      _id: newId('grp'),
      name: ADMIN_AGENTS_GROUP,
      ownerKind: 'PARTNER',
      ownerId: partnerId,
      memberIds: [admin._id],
      createdAt: now,
      outbox: [],
    };
    try {
      await this.models.groups.create(group);
    } catch (err) {
      await this.accounts.remove(admin._id);
      throw err;
    }
    const partner: PartnerDoc = {
      _id: partnerId,
      name,
      tier: input.tier,
      country,
      market: market._id,
      currency,
      ...(taxId ? { taxId } : {}),
      adminAgentsGroupId: group._id,
      createdAt: now,
      outbox: [
        event(
          'partner.onboarded',
          { partnerId, name, tier: input.tier, country, market: market._id, currency, ...(taxId ? { taxId } : {}), adminAgentsGroupId: group._id },
          this.clock,
        ),
        event('group.membershipChanged', { groupId: group._id, ownerKind: 'PARTNER', ownerId: partnerId, memberIds: group.memberIds }, this.clock),
      ],
    };
    crashPoint('partner.group-created');
    // The partner's events go out with this, the last write: a creation that died before it is
    // undone without a trace (undoUnfinishedCreations); its admin signs in from here on.
    await this.models.partners.create(partner);
    crashPoint('partner.created');
    await this.accounts.tenantComplete(admin._id);
    return { partner, admin: { ...admin, pendingTenant: undefined } };
  }

  /**
   * A distributor invites a reseller of its market: a PENDING link that opens nothing until the
   * reseller's admin accepts (CSP: the indirect reseller accepts the indirect provider's
   * invitation). Inviting again is a no-op that leaves the link as it is (PENDING or ACTIVE).
   */
  async linkReseller(caller: Caller, resellerId: string): Promise<{ reseller: PartnerDoc; link: ResellerLinkDoc }> {
    const distributor = caller.partnerId ? await this.models.partners.findById(caller.partnerId).lean<PartnerDoc>() : null;
    if (caller.kind !== 'PARTNER_USER' || !distributor || distributor.tier !== 'INDIRECT_PROVIDER') {
      throw forbidden('Only an indirect provider (distributor) links resellers.');
    }
    const reseller = await this.models.partners.findById(resellerId).lean<PartnerDoc>();
    if (!reseller) throw notFound('Partner', resellerId);
    if (reseller.tier !== 'INDIRECT_RESELLER') throw badInput('Only an indirect reseller can be linked to a distributor.', 'resellerId');
    if (reseller.market !== distributor.market) {
      throw badInput(`The reseller sells in market ${reseller.market}, the distributor in ${distributor.market}.`, 'resellerId');
    }
    const link: ResellerLinkDoc = {
      _id: newId('lnk'),
      distributorId: distributor._id,
      resellerId,
      status: 'PENDING',
      createdAt: this.clock.now(),
      outbox: [], // reseller.linked goes out on acceptance
    };
    try {
      await this.models.resellerLinks.create(link);
      return { reseller, link };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    // Invited before: the first link stands as it is (an accepted link stays accepted).
    const existing = await this.models.resellerLinks.findOne({ distributorId: distributor._id, resellerId }, { outbox: 0 }).lean<ResellerLinkDoc>();
    return { reseller, link: existing ?? link };
  }

  /**
   * The reseller's admin accepts a distributor's invitation: the link turns ACTIVE and
   * reseller.linked goes out in that same write. Accepting twice is a no-op (one event).
   * No invitation from that distributor answers NOT_FOUND, like a distributor that does not exist.
   */
  async acceptResellerLink(caller: Caller, distributorId: string): Promise<{ distributor: PartnerDoc; link: ResellerLinkDoc }> {
    const reseller = caller.kind === 'PARTNER_USER' && caller.partnerId ? await this.models.partners.findById(caller.partnerId).lean<PartnerDoc>() : null;
    const user = reseller ? await this.models.users.findById(caller.userId, { admin: 1 }).lean<Pick<UserDoc, 'admin'>>() : null;
    if (!reseller || reseller.tier !== 'INDIRECT_RESELLER' || !user?.admin) {
      throw forbidden("Only an indirect reseller's admin accepts a distributor's invitation.");
    }
    const pair = { distributorId, resellerId: reseller._id };
    const found = await this.models.resellerLinks.findOne(pair, { _id: 1 }).lean<Pick<ResellerLinkDoc, '_id'>>();
    const distributor = found ? await this.models.partners.findById(distributorId).lean<PartnerDoc>() : null;
    if (!found || !distributor) throw notFound('Partner', distributorId);
    // The relay also writes this document (pulling its outbox): one writer at a time, and the
    // status is re-read inside the lock so two accepts publish one event.
    const link = await this.locks.hold(
      this.models.resellerLinks.collection.name,
      found._id,
      async () => {
        const current = await this.models.resellerLinks.findById(found._id, { outbox: 0 }).lean<ResellerLinkDoc>();
        if (!current) throw notFound('Partner', distributorId);
        if (current.status === 'ACTIVE') return current;
        const acceptedAt = this.clock.now();
        const ev = event('reseller.linked', { distributorId, resellerId: reseller._id }, this.clock);
        await this.models.resellerLinks.updateOne({ _id: found._id }, { $set: { status: 'ACTIVE', acceptedAt }, $push: { outbox: ev } });
        return { ...current, status: 'ACTIVE' as const, acceptedAt };
      },
      { waitMs: 10_000 },
    );
    return { distributor, link };
  }
}
