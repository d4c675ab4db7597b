import type { Clock } from '@csp/kernel';
import type { Model } from 'mongoose';
import { chargeRun } from '../charges/charge-run';
import type { CustomerChargeDoc } from '../charges/customer-charge.model';
import type { BillJob } from '../runs/queues';
import { dayOf, nextPeriod, periodEnd, periodOf } from '../money/dates';
import { Dec } from '../money/decimal';
import type { BillPartnerOfferDoc, BillPartnerOfferPriceDoc } from '../partner-offers/partner-offer.model';
import type { RunCut } from '../runs/billing-window';
import type { SubFactDoc } from '../subscriptions/sub-fact.model';
import { subViews, type SubView } from '../subscriptions/timeline';
import type { VendorCharge } from './charge-line';
import { PartnerOfferBook, ratePartnerOffer } from './partner-offer-rating';
import { RatingError } from './usage-rating';

interface Models {
  partnerOffers: Model<BillPartnerOfferDoc>;
  partnerOfferPrices: Model<BillPartnerOfferPriceDoc>;
  customerCharges: Model<CustomerChargeDoc>;
  subFacts: Model<SubFactDoc>;
}

export const chargeLine = (c: CustomerChargeDoc): VendorCharge => ({
  lineKey: `C|${c._id}`,
  subscriptionId: '',
  customerId: c.customerId,
  chargeType: 'CUSTOMER_CHARGE',
  description: c.description,
  chargeId: c._id,
  quantity: new Dec(1),
  unitPrice: new Dec(c.amount),
  share: new Dec(1),
  currency: c.currency,
  usageFrom: dayOf(c.createdAt),
  usageTo: dayOf(c.createdAt),
});

/**
 * A partner's own charges to its customers: its partner offers' subscriptions and its one-off
 * charges. They go only on PARTNER_TO_CUSTOMER invoices issued by that partner, at its own
 * prices (no markup applies), and never on the vendor's or a distributor's invoices.
 */
export class PartnerChargeService {
  constructor(
    private readonly m: Models,
    private readonly clock: Clock,
  ) {}

  book(subs: Iterable<SubView>): Promise<PartnerOfferBook> {
    const ids = [...new Set([...subs].filter((s) => s.billingType === 'PARTNER').map((s) => s.offerId))];
    return PartnerOfferBook.load(this.m, ids);
  }

  /** The bill-tos `run` owes an invoice for partner charges: (partner → customer) pairs. */
  async billTos(run: RunCut, runs: RunCut[]): Promise<Array<Pick<BillJob, 'kind' | 'issuerId' | 'billToId'>>> {
    const facts = await this.m.subFacts.find({ billingType: 'PARTNER', at: { $lt: periodEnd(run.period) } }).lean<SubFactDoc[]>();
    const views = subViews(facts);
    const book = await this.book(views.values());
    const pairs = new Map<string, Pick<BillJob, 'kind' | 'issuerId' | 'billToId'>>();
    const add = (issuerId: string, billToId: string) => pairs.set(`${issuerId}|${billToId}`, { kind: 'PARTNER_TO_CUSTOMER', issuerId, billToId });
    for (const s of views.values()) if (ratePartnerOffer(s, run.period, book).length) add(s.partnerId, s.customerId);
    for (const c of await this.chargesOf(run, runs, {})) add(c.partnerId, c.customerId);
    return [...pairs.values()];
  }

  /** What `run` bills `customerId` from `issuerId`: its partner-offer subscriptions and one-off charges. */
  async forRun(run: RunCut, runs: RunCut[], issuerId: string, customerId: string, subs: Map<string, SubView>): Promise<VendorCharge[]> {
    const own = [...subs.values()].filter((s) => s.billingType === 'PARTNER' && s.partnerId === issuerId && s.customerId === customerId);
    const book = await this.book(own);
    // Invoice order: monthly, then one-time lines, then one-off charges, each by key.
    const rank = { PARTNER_MONTHLY: 0, PARTNER_ONE_TIME: 1 } as Record<string, number>;
    const charges = own.flatMap((s) => ratePartnerOffer(s, run.period, book)).sort((a, b) => rank[a.chargeType] - rank[b.chargeType] || (a.lineKey < b.lineKey ? -1 : 1));
    const oneOff = (await this.chargesOf(run, runs, { partnerId: issuerId, customerId })).sort((a, b) => (a._id < b._id ? -1 : 1));
    return [...charges, ...oneOff.map(chargeLine)];
  }

  /** One-off charges `run` bills (the first run after each was added, of its month or later). */
  private async chargesOf(run: RunCut, runs: RunCut[], filter: { partnerId?: string; customerId?: string }): Promise<CustomerChargeDoc[]> {
    const docs = await this.m.customerCharges.find({ ...filter, createdAt: { $lt: run.cutoff } }, { outbox: 0 }).lean<CustomerChargeDoc[]>();
    return docs.filter((c) => periodOf(c.createdAt) <= run.period && chargeRun(runs, c.createdAt)?.period === run.period);
  }

  /**
   * Partner-offer charges no run has billed yet, up to today: months without a run, the current
   * one accrued through today. Subscriptions that cannot be priced are reported apart.
   */
  async unbilled(subs: Map<string, SubView>, runs: RunCut[]): Promise<{ charges: VendorCharge[]; unpriced: Map<string, string> }> {
    const ran = new Set(runs.map((r) => r.period));
    const now = this.clock.now();
    const today = dayOf(now);
    const current = periodOf(now);
    const book = await this.book(subs.values());
    const charges: VendorCharge[] = [];
    const unpriced = new Map<string, string>();
    for (const s of subs.values()) {
      if (s.billingType !== 'PARTNER') continue;
      const created = s.facts.find((f) => f.type === 'created');
      if (!created) continue;
      const last = s.cancelledOn && s.cancelledOn.slice(0, 7) < current ? s.cancelledOn.slice(0, 7) : current;
      try {
        for (let p = periodOf(created.at), n = 0; p <= last && n < 120; p = nextPeriod(p), n++) {
          if (!ran.has(p)) charges.push(...ratePartnerOffer(s, p, book, p === current ? today : undefined));
        }
      } catch (err) {
        if (!(err instanceof RatingError)) throw err;
        unpriced.set(s.id, err.message);
      }
    }
    return { charges, unpriced };
  }

  /** One-off charges no run has billed yet. */
  async unbilledCharges(filter: { customerId?: string; partnerId?: string }, runs: RunCut[]): Promise<CustomerChargeDoc[]> {
    const docs = await this.m.customerCharges.find(filter, { outbox: 0 }).lean<CustomerChargeDoc[]>();
    return docs.filter((c) => !chargeRun(runs, c.createdAt));
  }
}
