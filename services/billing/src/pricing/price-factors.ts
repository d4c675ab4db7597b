import type { Model } from 'mongoose';
import { Dec, markupFactor } from '../money/decimal';
import type { SubView } from '../subscriptions/timeline';
import type { MarkupLookup } from '../cache/catalog-cache';
import { customerMarkupId, resellerMarkupId, type MarkupDoc } from './pricing.model';

/** The seller of a subscription to its customer: the reseller if any, else the partner of record. */
export const sellerOf = (s: Pick<SubView, 'partnerId' | 'resellerId'>) => s.resellerId ?? s.partnerId;

export interface PriceFactors {
  /** What the partner of record pays: vendor prices. */
  vendor(s: SubView): Dec;
  /** What the reseller pays its distributor: vendor × (1 + reseller markup); vendor prices without a reseller. */
  reseller(s: SubView): Dec;
  /** What the customer pays its seller: the seller's cost × (1 + customer markup). */
  customer(s: SubView): Dec;
}

/** Where markups come from: the store, or the in-memory copy (cache/catalog-cache). */
export type MarkupSource = Model<MarkupDoc> | MarkupLookup;

/** Markups of every tier above these subscriptions' customers, in one store query (or none, cached). */
export async function loadPriceFactors(markups: MarkupSource, subs: Iterable<SubView>): Promise<PriceFactors> {
  const ids = new Set<string>();
  for (const s of subs) {
    if (s.resellerId) ids.add(resellerMarkupId(s.partnerId, s.resellerId));
    ids.add(customerMarkupId(sellerOf(s), s.customerId));
  }
  const docs = !ids.size ? [] : 'byIds' in markups ? await markups.byIds([...ids]) : await markups.find({ _id: { $in: [...ids] } }).lean<MarkupDoc[]>();
  const pct = new Map(docs.map((d) => [d._id, d.markupPercent]));
  const reseller = (s: SubView) => (s.resellerId ? markupFactor(pct.get(resellerMarkupId(s.partnerId, s.resellerId))) : new Dec(1));
  return {
    vendor: () => new Dec(1),
    reseller,
    customer: (s) => reseller(s).times(markupFactor(pct.get(customerMarkupId(sellerOf(s), s.customerId)))),
  };
}
