import { badInput, type Caller } from '@csp/kernel';
import type { BillingDeps } from '../deps';
import { isDay } from '../money/dates';
import { Dec, formatMoney } from '../money/decimal';
import { loadPriceFactors } from '../pricing/price-factors';
import { priceLine } from '../rating/charge-line';
import { factorFor } from '../rating/unbilled';

/** One day of one meter at one unit price (a day crossing a tier boundary has two). */
export interface UsageDay {
  day: string;
  meterId: string;
  quantity: string;
  unitPrice: string;
  amount: string;
  currency: string;
}

/**
 * Unbilled usage of one subscription by day and meter at the caller's price, from the very
 * rating `unbilledCharges` uses: each charge line is split over its days by cumulative
 * rounding (a day's amount = rounded amount through that day − rounded amount through the day
 * before), so the days of a line sum to the line's amount exactly and all days to
 * `unbilledCharges`. Null when the subscription is unknown to billing or not the caller's.
 */
export async function usageDetail(deps: BillingDeps, caller: Caller, subscriptionId: string, from: string, to: string): Promise<UsageDay[] | null> {
  if (!isDay(from)) throw badInput(`from ${JSON.stringify(from)} is not a day (YYYY-MM-DD).`, 'from');
  if (!isDay(to)) throw badInput(`to ${JSON.stringify(to)} is not a day (YYYY-MM-DD).`, 'to');
  if (to < from) throw badInput(`to (${to}) is before from (${from}).`, 'to');
  const views = await deps.charges.views({ subscriptionId });
  const s = views.get(subscriptionId);
  if (!s) return null;
  const [book, factors] = await Promise.all([deps.loadPriceBook(), loadPriceFactors(deps.caches.markups, views.values())]);
  const factor = factorFor(caller, s, factors);
  if (!factor) return null;
  // Quantity per line and day, as the rating took it.
  const takes = new Map<string, Map<string, Dec>>();
  const { charges, unpriced } = await deps.charges.unbilled(views, book, (v) => factor.cuts(v), (r, lineKey, q) => {
    const days = takes.get(lineKey) ?? new Map<string, Dec>();
    days.set(r.usageDate, (days.get(r.usageDate) ?? new Dec(0)).plus(q));
    takes.set(lineKey, days);
  });
  if (unpriced.size) {
    deps.logger.warn({ unpriced: Object.fromEntries(unpriced) }, 'usage detail cannot be priced');
    return null;
  }
  const out = new Map<string, UsageDay>();
  for (const c of charges) {
    if (c.chargeType !== 'USAGE' || c.subscriptionId !== subscriptionId) continue;
    const f = factor.at(s, c.usageFrom);
    const days = [...(takes.get(c.lineKey) ?? new Map<string, Dec>())].sort(([a], [b]) => (a < b ? -1 : 1));
    let cum = new Dec(0);
    let before = new Dec(0);
    for (const [day, q] of days) {
      cum = cum.plus(q);
      const through = priceLine({ ...c, quantity: cum }, f);
      const amount = new Dec(through.amount).minus(before);
      before = new Dec(through.amount);
      if (day < from || day > to) continue;
      // Two lines of one day at one price (rare: e.g. a markup epoch) read as one row.
      const key = `${day}|${c.meterId}|${through.unitPrice}|${c.currency}`;
      const row = out.get(key);
      if (row) {
        row.quantity = new Dec(row.quantity).plus(q).toFixed();
        row.amount = formatMoney(new Dec(row.amount).plus(amount), c.currency);
      } else out.set(key, { day, meterId: c.meterId!, quantity: q.toFixed(), unitPrice: through.unitPrice, amount: formatMoney(amount, c.currency), currency: c.currency });
    }
  }
  return [...out.values()].sort((a, b) => (a.day !== b.day ? (a.day < b.day ? -1 : 1) : a.meterId !== b.meterId ? (a.meterId < b.meterId ? -1 : 1) : new Dec(a.unitPrice).cmp(b.unitPrice)));
}

/** Unbilled usage per meter over `rows` (amounts summed exactly from the days). */
export function byMeter(rows: UsageDay[]): Array<{ meterId: string; quantity: string; amount: string; currency: string }> {
  const out = new Map<string, { meterId: string; quantity: Dec; amount: Dec; currency: string }>();
  for (const r of rows) {
    const k = `${r.meterId}|${r.currency}`;
    const m = out.get(k) ?? { meterId: r.meterId, quantity: new Dec(0), amount: new Dec(0), currency: r.currency };
    m.quantity = m.quantity.plus(r.quantity);
    m.amount = m.amount.plus(r.amount);
    out.set(k, m);
  }
  return [...out.values()].sort((a, b) => (a.meterId < b.meterId ? -1 : 1)).map((m) => ({ meterId: m.meterId, quantity: m.quantity.toFixed(), amount: formatMoney(m.amount, m.currency), currency: m.currency }));
}
