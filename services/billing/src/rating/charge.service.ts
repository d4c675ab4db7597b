import type { Clock } from '@csp/kernel';
import type { Model } from 'mongoose';
import type { PriceBook } from '../catalog/price-book';
import { dayOf, nextPeriod, periodOf } from '../money/dates';
import { monthWindows, type RunCut } from '../runs/billing-window';
import type { InvoiceRunDoc } from '../runs/invoice-run.model';
import type { SubFactDoc } from '../subscriptions/sub-fact.model';
import { subViews, type SubView } from '../subscriptions/timeline';
import type { UsageMonths } from '../usage/usage-months';
import type { VendorCharge } from './charge-line';
import { rateLicense } from './license-rating';
import { rateUsage, RatingError, type OnTake, type RatableUsage } from './usage-rating';
import type { CutsOf } from './dated-prices';

/** Vendor-priced charges of subscriptions: for an invoice run, or unbilled so far. */
export class ChargeService {
  constructor(
    private readonly m: { subFacts: Model<SubFactDoc>; runs: Model<InvoiceRunDoc> },
    private readonly clock: Clock,
    private readonly usageMonths: UsageMonths,
  ) {}

  async runCuts(): Promise<RunCut[]> {
    return this.m.runs.find({}, { period: 1, cutoff: 1 }).lean<RunCut[]>();
  }

  async views(filter: Record<string, unknown>): Promise<Map<string, SubView>> {
    return subViews(await this.m.subFacts.find(filter).lean<SubFactDoc[]>());
  }

  /** What `run` bills for these subscriptions: usage in its window (read as day totals), licenses of its month. */
  async forRun(run: RunCut, subs: Map<string, SubView>, book: PriceBook, cutsOf?: CutsOf): Promise<VendorCharge[]> {
    const runs = await this.runCuts();
    const usageSubs = [...subs.values()].filter((s) => s.billingType === 'USAGE').map((s) => s.id);
    const charges: VendorCharge[] = [];
    if (usageSubs.length) {
      const { records, prior } = await this.usageMonths.window(usageSubs, monthWindows(runs, run));
      charges.push(...rateUsage(records, subs, book, prior, cutsOf));
    }
    for (const sub of subs.values()) charges.push(...rateLicense(sub, run.period, book, undefined, cutsOf));
    return charges;
  }

  /**
   * Charges no run has billed yet: usage outside every run's window, and license days of months
   * without a run up to today. Usage is read as day totals (usage-months.ts): of months no run
   * covers, and late usage of invoiced months after the quantity billed (its tiers' offset).
   */
  async unbilled(subs: Map<string, SubView>, book: PriceBook, cutsOf?: CutsOf, onTake?: OnTake): Promise<{ charges: VendorCharge[]; unpriced: Map<string, string> }> {
    const runs = await this.runCuts();
    const ran = new Set(runs.map((r) => r.period));
    const today = dayOf(this.clock.now());
    const current = periodOf(this.clock.now());
    const usageSubs = [...subs.values()].filter((s) => s.billingType === 'USAGE').map((s) => s.id);
    const charges: VendorCharge[] = [];
    // A subscription that cannot be priced (catalog gap) is reported, not allowed to hide the others.
    const unpriced = new Map<string, string>();
    const each = (id: string, rate: () => VendorCharge[]) => {
      try {
        charges.push(...rate());
      } catch (err) {
        if (!(err instanceof RatingError)) throw err;
        unpriced.set(id, err.message);
      }
    };
    if (usageSubs.length) {
      const { records, prior } = await this.usageMonths.window(usageSubs, monthWindows(runs));
      const bySub = new Map<string, RatableUsage[]>();
      for (const r of records) {
        const list = bySub.get(r.subscriptionId);
        if (list) list.push(r);
        else bySub.set(r.subscriptionId, [r]);
      }
      for (const [id, list] of bySub) each(id, () => rateUsage(list, subs, book, prior, cutsOf, onTake));
    }
    for (const sub of subs.values()) {
      if (sub.billingType !== 'LICENSE' || !sub.activatedOn) continue;
      const last = sub.cancelledOn && sub.cancelledOn.slice(0, 7) < current ? sub.cancelledOn.slice(0, 7) : current;
      for (let p = sub.activatedOn.slice(0, 7), n = 0; p <= last && n < 120; p = nextPeriod(p), n++) {
        if (!ran.has(p)) each(sub.id, () => rateLicense(sub, p, book, p === current ? today : undefined, cutsOf));
      }
    }
    return { charges, unpriced };
  }
}
