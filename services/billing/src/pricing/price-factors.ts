import type { Model } from 'mongoose';
import { Dec, markupFactor } from '../money/decimal';
import type { SubView } from '../subscriptions/timeline';
import type { MarkupVersionDoc } from './markup-schedule.model';
import { customerMarkupId, resellerMarkupId, type MarkupDoc } from './pricing.model';

/** The seller of a subscription to its customer: the reseller if any, else the partner of record. */
export const sellerOf = (s: Pick<SubView, 'partnerId' | 'resellerId'>) => s.resellerId ?? s.partnerId;

/** A price factor that may change from a day on: its value on a day, and the days it changes. */
export interface DatedFactor {
  at(s: SubView, day: string): Dec;
  cuts(s: SubView): string[];
}

export interface PriceFactors {
  /** What the partner of record pays: vendor prices. */
  vendor: DatedFactor;
  /** What the reseller pays its distributor: vendor × (1 + reseller markup); vendor prices without a reseller. */
  reseller: DatedFactor;
  /** What the customer pays its seller: the seller's cost × (1 + customer markup). */
  customer: DatedFactor;
}

/** Before any schedule: markups set before they were dated apply from the beginning. */
const ALWAYS = '0000-01-01';

/** Where markups come from: the store (invoice runs) or the per-process cache (reads). */
export interface MarkupSource {
  schedules(ids: string[]): Promise<{ legacy: MarkupDoc[]; versions: MarkupVersionDoc[] }>;
}

/** Markups read from the store, in two queries. */
export const storeMarkups = (models: { markups: Model<MarkupDoc>; markupSchedule: Model<MarkupVersionDoc> }): MarkupSource => ({
  schedules: async (ids) => {
    const [legacy, versions] = await Promise.all([
      models.markups.find({ _id: { $in: ids } }).lean<MarkupDoc[]>(),
      models.markupSchedule.find({ markupId: { $in: ids } }).lean<MarkupVersionDoc[]>(),
    ]);
    return { legacy, versions };
  },
});

/** Markup schedules of every tier above these subscriptions' customers. */
export async function loadPriceFactors(markups: MarkupSource, subs: Iterable<SubView>): Promise<PriceFactors> {
  const ids = new Set<string>();
  for (const s of subs) {
    if (s.resellerId) ids.add(resellerMarkupId(s.partnerId, s.resellerId));
    ids.add(customerMarkupId(sellerOf(s), s.customerId));
  }
  const { legacy, versions } = ids.size ? await markups.schedules([...ids]) : { legacy: [], versions: [] };
  const schedule = new Map<string, Array<{ from: string; pct: string }>>();
  for (const v of versions) schedule.set(v.markupId, [...(schedule.get(v.markupId) ?? []), { from: v.effectiveFrom, pct: v.markupPercent }]);
  for (const d of legacy) if (!schedule.has(d._id)) schedule.set(d._id, [{ from: ALWAYS, pct: d.markupPercent }]);
  for (const list of schedule.values()) list.sort((a, b) => (a.from < b.from ? -1 : 1));
  const pctOn = (id: string, day: string) => {
    let pct: string | undefined;
    for (const v of schedule.get(id) ?? []) if (v.from <= day) pct = v.pct;
    return pct;
  };
  const cutsOf = (id: string) => (schedule.get(id) ?? []).map((v) => v.from).filter((d) => d !== ALWAYS);
  const rid = (s: SubView) => (s.resellerId ? resellerMarkupId(s.partnerId, s.resellerId) : undefined);
  const reseller: DatedFactor = {
    at: (s, day) => (s.resellerId ? markupFactor(pctOn(rid(s)!, day)) : new Dec(1)),
    cuts: (s) => (s.resellerId ? cutsOf(rid(s)!) : []),
  };
  return {
    vendor: { at: () => new Dec(1), cuts: () => [] },
    reseller,
    customer: {
      at: (s, day) => reseller.at(s, day).times(markupFactor(pctOn(customerMarkupId(sellerOf(s), s.customerId), day))),
      cuts: (s) => [...reseller.cuts(s), ...cutsOf(customerMarkupId(sellerOf(s), s.customerId))],
    },
  };
}
