import { event, type PartnerTier } from '@csp/events';
import { badInput, forbidden, isDuplicateKey, newId, notFound, type Caller, type Clock } from '@csp/kernel';
import type { Model } from 'mongoose';
import type { GroupDoc } from '../groups/group.model';
import { currencyCode, countryCode } from '../markets/codes';
import type { MarketDirectory } from '../markets/market-directory';
import { checkPassword, normalizeEmail, type UserAccounts } from '../users/user-accounts';
import type { UserDoc } from '../users/user.model';
import type { PartnerDoc } from './partner.model';
import type { ResellerLinkDoc } from './reseller-link.model';

export const ADMIN_AGENTS_GROUP = 'Admin agents';

export interface OnboardPartner {
  name: string;
  tier: PartnerTier;
  country: string;
  currency?: string | null;
  adminEmail: string;
  adminPassword: string;
}

export class PartnerService {
  constructor(
    private readonly partners: Model<PartnerDoc>,
    private readonly links: Model<ResellerLinkDoc>,
    private readonly groups: Model<GroupDoc>,
    private readonly accounts: UserAccounts,
    private readonly markets: MarketDirectory,
    private readonly clock: Clock,
  ) {}

  /**
   * Operator onboards a partner: its first admin user, an "Admin agents" group holding that
   * user, then the partner document itself with its events (the partner exists once that
   * single write lands).
   */
  async onboard(input: OnboardPartner): Promise<{ partner: PartnerDoc; admin: UserDoc }> {
    const name = input.name.trim();
    if (!name || name.length > 200) throw badInput('name must have 1 to 200 characters.', 'name');
    const country = countryCode(input.country);
    const email = normalizeEmail(input.adminEmail);
    checkPassword(input.adminPassword);
    const market = await this.markets.ofCountry(country);
    const currency = input.currency ? currencyCode(input.currency) : market.currency;

    const partnerId = newId('ptn');
    const admin = await this.accounts.create({ email, password: input.adminPassword, kind: 'PARTNER_USER', partnerId, admin: true });
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
      await this.groups.create(group);
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
      adminAgentsGroupId: group._id,
      createdAt: now,
      outbox: [
        event(
          'partner.onboarded',
          { partnerId, name, tier: input.tier, country, market: market._id, currency, adminAgentsGroupId: group._id },
          this.clock,
        ),
        event('group.membershipChanged', { groupId: group._id, ownerKind: 'PARTNER', ownerId: partnerId, memberIds: group.memberIds }, this.clock),
      ],
    };
    await this.partners.create(partner);
    return { partner, admin };
  }

  /** A distributor links a reseller of its market; linking twice is a no-op. */
  async linkReseller(caller: Caller, resellerId: string): Promise<PartnerDoc> {
    const distributor = caller.partnerId ? await this.partners.findById(caller.partnerId).lean<PartnerDoc>() : null;
    if (caller.kind !== 'PARTNER_USER' || !distributor || distributor.tier !== 'INDIRECT_PROVIDER') {
      throw forbidden('Only an indirect provider (distributor) links resellers.');
    }
    const reseller = await this.partners.findById(resellerId).lean<PartnerDoc>();
    if (!reseller) throw notFound('Partner', resellerId);
    if (reseller.tier !== 'INDIRECT_RESELLER') throw badInput('Only an indirect reseller can be linked to a distributor.', 'resellerId');
    if (reseller.market !== distributor.market) {
      throw badInput(`The reseller sells in market ${reseller.market}, the distributor in ${distributor.market}.`, 'resellerId');
    }
    const link: ResellerLinkDoc = {
      _id: newId('lnk'),
      distributorId: distributor._id,
      resellerId,
      createdAt: this.clock.now(),
      outbox: [event('reseller.linked', { distributorId: distributor._id, resellerId }, this.clock)],
    };
    try {
      await this.links.create(link);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err; // already linked: the first link's event stands
    }
    return reseller;
  }
}
