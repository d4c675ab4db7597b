import type { PriceBook } from '../catalog/price-book';
import { Dec } from '../money/decimal';
import type { SubView } from '../subscriptions/timeline';
import type { VendorCharge } from './charge-line';
import { epochOf, type CutsOf } from './dated-prices';

export interface RatableUsage {
  _id: string; // recordId
  subscriptionId: string;
  meterId: string;
  quantity: string;
  usageDate: string;
  month: string;
}

export class RatingError extends Error {}

export const usageGroupKey = (subscriptionId: string, meterId: string, month: string) => `${subscriptionId}|${meterId}|${month}`;

/**
 * Rates usage records at vendor prices. Tiers apply to the month's cumulative quantity per
 * subscription and meter: records are taken in usage-date order, after `prior` (quantity of
 * the same month billed by earlier runs), each at the rate card in force on its own date.
 * One charge per (subscription, meter, month, rate card, tier); amounts are not rounded here.
 */
/** Told which record contributed how much to which charge line (usage detail by day). */
export type OnTake = (r: RatableUsage, lineKey: string, quantity: Dec) => void;

export function rateUsage(records: RatableUsage[], subs: Map<string, SubView>, book: PriceBook, prior = new Map<string, Dec>(), cutsOf?: CutsOf, onTake?: OnTake): VendorCharge[] {
  const groups = new Map<string, RatableUsage[]>();
  for (const r of records) {
    const k = usageGroupKey(r.subscriptionId, r.meterId, r.month);
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  const out = new Map<string, VendorCharge>();
  for (const [k, list] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    list.sort((a, b) => (a.usageDate < b.usageDate ? -1 : a.usageDate > b.usageDate ? 1 : a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
    let cum = prior.get(k) ?? new Dec(0);
    for (const r of list) {
      const sub = subs.get(r.subscriptionId);
      if (!sub) throw new RatingError(`usage ${r._id}: subscription ${r.subscriptionId} is unknown`);
      const rate = book.rate(sub.market, r.meterId, r.usageDate);
      if (!rate || !rate.tiers.length) throw new RatingError(`usage ${r._id}: no rate for meter ${r.meterId} in market ${sub.market} on ${r.usageDate}`);
      let left = new Dec(r.quantity);
      while (left.gt(0)) {
        // The tier the cumulative quantity is in, and how much fits before the next one starts.
        let t = 0;
        while (t + 1 < rate.tiers.length && rate.tiers[t + 1].from.lte(cum)) t++;
        const next = rate.tiers[t + 1]?.from;
        const take = next ? Dec.min(left, next.minus(cum)) : left;
        const tier = rate.tiers[t];
        // A markup taking effect mid-month starts a new line (dated prices).
        const epoch = cutsOf ? epochOf(cutsOf(sub), r.usageDate) : '';
        const key = `U|${r.subscriptionId}|${r.meterId}|${r.month}|${rate.cardFrom}|${tier.fromText}${epoch ? `|${epoch}` : ''}`;
        const line = out.get(key);
        if (line) {
          line.quantity = line.quantity.plus(take);
          if (r.usageDate < line.usageFrom) line.usageFrom = r.usageDate;
          if (r.usageDate > line.usageTo) line.usageTo = r.usageDate;
        } else {
          out.set(key, {
            lineKey: key,
            subscriptionId: r.subscriptionId,
            customerId: sub.customerId,
            chargeType: 'USAGE',
            description: `${rate.meterName} ${r.month}; rate card ${rate.cardFrom}; tier from ${tier.fromText}`,
            meterId: r.meterId,
            quantity: take,
            unitPrice: tier.price,
            share: new Dec(1),
            currency: rate.currency,
            usageFrom: r.usageDate,
            usageTo: r.usageDate,
          });
        }
        onTake?.(r, key, take);
        cum = cum.plus(take);
        left = left.minus(take);
      }
    }
  }
  return [...out.values()];
}
