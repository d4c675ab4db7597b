import { event } from '@csp/events';
import { auditTarget, badInput, cleanName, conflict, countryCode, crashPoint, currencyCode, forbidden, isDuplicateKey, newId, notFound, type AggregateLocks, type Caller, type Clock } from '@csp/kernel';
import { taxIdOf } from '../markets/tax-id';
import type { MarketDirectory } from '../markets/market-directory';
import type { PartnerDoc } from '../partners/partner.model';
import { ACTIVE_LINK } from '../partners/reseller-link.model';
import { relationshipId } from '../relationships/relationship.model';
import { checkPassword, normalizeEmail, type UserAccounts } from '../users/user-accounts';
import type { UserDoc } from '../users/user.model';
import type { CustomerDoc } from './customer.model';
import type { IdentityModels } from '../models';

export interface CreateCustomer {
  companyName: string;
  domain: string;
  country: string;
  currency?: string | null;
  taxId?: string | null;
  adminEmail: string;
  adminPassword: string;
  associatedResellerId?: string | null;
}

/** A creation takes well under a second; a claim this old was abandoned. */
const STALE_CLAIM_MS = 10 * 60_000;

const DOMAIN_RE = /^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function normalizeDomain(value: string, field = 'domain'): string {
  const d = value.trim().toLowerCase().replace(/\.$/, '');
  if (!DOMAIN_RE.test(d)) throw badInput(`${field} must be a domain name such as "contoso.example".`, field);
  return d;
}

export class CustomerService {
  constructor(
    private readonly models: Pick<IdentityModels, 'customers' | 'partners' | 'resellerLinks' | 'relationships'>,
    private readonly accounts: UserAccounts,
    private readonly markets: MarketDirectory,
    private readonly locks: AggregateLocks,
    private readonly clock: Clock,
  ) {}

  /**
   * Who sells: the caller's own partner, or (distributor) the actively linked reseller it names.
   * Naming a reseller is a distributor's right (else FORBIDDEN); a reseller not actively linked to
   * it answers NOT_FOUND, exactly like an id that exists nowhere.
   */
  private async sellingPartner(caller: Caller, associatedResellerId?: string | null): Promise<{ seller: PartnerDoc; distributorId?: string }> {
    const own = caller.kind === 'PARTNER_USER' && caller.partnerId ? await this.models.partners.findById(caller.partnerId).lean<PartnerDoc>() : null;
    if (!own) throw forbidden('Only a partner user creates customers.');
    if (own.tier !== 'INDIRECT_PROVIDER') {
      if (associatedResellerId) throw forbidden('Only a distributor creates customers on behalf of a reseller (associatedResellerId).');
      return { seller: own };
    }
    if (!associatedResellerId) {
      throw badInput('A distributor creates customers on behalf of a linked reseller: set associatedResellerId.', 'associatedResellerId');
    }
    const linked = await this.models.resellerLinks.exists({ distributorId: own._id, resellerId: associatedResellerId, ...ACTIVE_LINK });
    const reseller = linked ? await this.models.partners.findById(associatedResellerId).lean<PartnerDoc>() : null;
    if (!reseller) throw notFound('Partner', associatedResellerId);
    return { seller: reseller, distributorId: own._id };
  }

  /**
   * Creates a tenant. The domain is claimed first by a unique insert (PENDING), so of two
   * concurrent creates with one domain exactly one goes on; then the first admin user, the
   * selling partner's relationship and, last, the customer turns ACTIVE with its events (nothing
   * is announced before that write, so a creation that dies half-way is undone without a trace:
   * see undoUnfinishedCreations); the admin signs in once the customer is ACTIVE.
   */
  async create(caller: Caller, input: CreateCustomer): Promise<{ customer: CustomerDoc; admin: UserDoc }> {
    const companyName = cleanName(input.companyName, 'companyName', 200);
    const domain = normalizeDomain(input.domain);
    const country = countryCode(input.country);
    const taxId = taxIdOf(input.taxId, country);
    const email = normalizeEmail(input.adminEmail);
    checkPassword(input.adminPassword);
    const { seller, distributorId } = await this.sellingPartner(caller, input.associatedResellerId);
    if (!(await this.markets.covers(seller.market, country))) {
      throw badInput(`Country ${country} is outside the partner's market ${seller.market}.`, 'country');
    }
    // The partner→customer agreement: the seller's agreed currency or the market's.
    const currency = input.currency
      ? currencyCode(input.currency, 'currency', [...new Set([seller.currency, (await this.markets.ofCountry(country)).currency])])
      : seller.currency;
    if (await this.accounts.emailTaken(email)) throw conflict(`A user with email ${email} already exists.`);

    const now = this.clock.now();
    const customer: CustomerDoc = {
      _id: newId('cus'),
      companyName,
      domain,
      country,
      currency,
      ...(taxId ? { taxId } : {}),
      partnerId: seller._id,
      ...(distributorId ? { distributorId } : {}),
      status: 'PENDING',
      createdAt: now,
      outbox: [],
    };
    // The record's target is the new tenant, known only here (the first write with events carries it).
    auditTarget(customer._id, customer._id);
    await this.claimDomain(customer);
    crashPoint('customer.claimed');
    let admin: UserDoc;
    try {
      admin = await this.accounts.create({ email, password: input.adminPassword, kind: 'CUSTOMER_USER', customerId: customer._id, admin: true, pendingTenant: true });
    } catch (err) {
      await this.models.customers.deleteOne({ _id: customer._id, status: 'PENDING' }); // give the domain back
      throw err;
    }
    crashPoint('customer.admin-created');
    await this.models.relationships.create({
      _id: relationshipId(seller._id, customer._id),
      partnerId: seller._id,
      customerId: customer._id,
      status: 'ACTIVE',
      createdAt: now,
      updatedAt: now,
      outbox: [],
    });
    crashPoint('customer.relationship-created');
    const created = event(
      'customer.created',
      { customerId: customer._id, companyName, domain, country, currency, ...(taxId ? { taxId } : {}), partnerId: seller._id, ...(distributorId ? { distributorId } : {}) },
      this.clock,
    );
    // The relay also writes this document (pulling its outbox): one writer at a time.
    await this.locks.hold(this.models.customers.collection.name, customer._id, () =>
      this.models.customers.updateOne(
        { _id: customer._id },
        { $set: { status: 'ACTIVE' }, $push: { outbox: { $each: [created, event('relationship.established', { customerId: customer._id, partnerId: seller._id }, this.clock)] } } },
      ),
      { waitMs: 10_000 },
    );
    crashPoint('customer.activated');
    await this.accounts.tenantComplete(admin._id);
    return { customer: { ...customer, status: 'ACTIVE' }, admin: { ...admin, pendingTenant: undefined } };
  }

  /**
   * Insert-to-claim on the unique domain. A PENDING claim left behind by a process that died
   * mid-creation is released after STALE_CLAIM_MS, so the domain is not lost forever.
   */
  private async claimDomain(customer: CustomerDoc): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.models.customers.create(customer);
        return;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const cutoff = new Date(this.clock.now().getTime() - STALE_CLAIM_MS);
        const released = attempt === 0 && (await this.models.customers.deleteOne({ domain: customer.domain, status: 'PENDING', createdAt: { $lt: cutoff } })).deletedCount;
        if (!released) throw conflict(`The domain ${customer.domain} is already taken.`);
      }
    }
  }

  async byId(id: string): Promise<CustomerDoc> {
    const c = await this.models.customers.findOne({ _id: id, status: 'ACTIVE' }).lean<CustomerDoc>();
    if (!c) throw notFound('Customer', id);
    return c;
  }
}
