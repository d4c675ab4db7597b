import { Money, type Caller } from '@csp/kernel';
import { sumAmounts, priceLine } from '../rating/charge-line';
import type { BillingDeps } from '../deps';
import { loadPriceFactors, type DatedFactor, type PriceFactors } from '../pricing/price-factors';
import type { VendorCharge } from '../rating/charge-line';
import type { SubView } from './timeline';

/** Which price the caller sees for a subscription, or null when it may not see it. */
export function factorFor(caller: Caller, s: SubView, f: PriceFactors): DatedFactor | null {
  if (caller.kind === 'OPERATOR') return f.vendor;
  if (caller.kind === 'PARTNER_USER') {
    if (caller.partnerId === s.partnerId) return f.vendor;
    if (caller.partnerId === s.resellerId) return f.reseller;
    return null;
  }
  if (caller.kind === 'CUSTOMER_USER' && caller.customerId === s.customerId) return f.customer;
  return null;
}

/**
 * Unbilled charges of several subscriptions in a handful of store queries (one DataLoader
 * batch): each at the price the caller pays — vendor price for the operator and the partner of
 * record, the reseller's cost for the reseller, the customer's price for the customer.
 */
export async function unbilledCharges(deps: BillingDeps, caller: Caller, ids: readonly string[]): Promise<Array<Money | null>> {
  const views = await deps.charges.views({ subscriptionId: { $in: [...ids] } });
  const [book, factors] = await Promise.all([deps.loadPriceBook(), loadPriceFactors(deps.models, views.values())]);
  const visible = new Map([...views].filter(([, s]) => factorFor(caller, s, factors)));
  // Each day at the markups in force on it: a markup taking effect later never re-prices days accrued.
  const { charges, unpriced } = visible.size ? await deps.charges.unbilled(visible, book, (s) => factorFor(caller, s, factors)!.cuts(s)) : { charges: [], unpriced: new Map<string, string>() };
  if (unpriced.size) deps.rt.logger.warn({ unpriced: Object.fromEntries(unpriced) }, 'unbilled charges cannot be priced');
  return ids.map((id) => {
    const s = visible.get(id);
    // Unknown to billing, not the caller's, or not priceable (logged): no figure rather than a wrong one.
    if (!s || unpriced.has(id)) return null;
    const factor = factorFor(caller, s, factors)!;
    const mine = charges.filter((c) => c.subscriptionId === id);
    const currency = mine[0]?.currency ?? book.currencyOf(s.market, s.offerId);
    if (!currency) return null;
    return Money.of(sumAmounts(mine.map((c) => priceLine(c, factor.at(s, c.usageFrom)).amount), currency), currency);
  });
}


/**
 * Unbilled charges of every subscription matching `filter` that the caller may see, summed per
 * currency: a customer's (at the caller's price) or a partner's (at what that partner pays).
 */
export async function unbilledTotals(
  deps: BillingDeps,
  filter: Record<string, unknown>,
  priceOf: (s: SubView, f: PriceFactors) => DatedFactor | null,
  /** Only charges of this month (YYYY-MM): month-to-date spend. */
  month?: string,
): Promise<Money[]> {
  const views = await deps.charges.views(filter);
  const [book, factors] = await Promise.all([deps.loadPriceBook(), loadPriceFactors(deps.models, views.values())]);
  const visible = new Map([...views].filter(([, s]) => priceOf(s, factors)));
  const { charges, unpriced } = visible.size ? await deps.charges.unbilled(visible, book, (s) => priceOf(s, factors)!.cuts(s)) : { charges: [] as VendorCharge[], unpriced: new Map<string, string>() };
  if (unpriced.size) throw new Error(`unbilled charges cannot be priced: ${[...unpriced.values()][0]}`);
  const totals = new Map<string, string[]>();
  for (const s of visible.values()) {
    const currency = book.currencyOf(s.market, s.offerId);
    if (currency && !totals.has(currency)) totals.set(currency, []);
  }
  for (const c of charges) {
    if (month && !c.usageFrom.startsWith(month)) continue;
    const s = visible.get(c.subscriptionId)!;
    totals.set(c.currency, [...(totals.get(c.currency) ?? []), priceLine(c, priceOf(s, factors)!.at(s, c.usageFrom)).amount]);
  }
  return [...totals].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, amounts]) => Money.of(sumAmounts(amounts, currency), currency));
}

/** Customer view: each subscription at the price the caller pays. */
export const customerUnbilled = (deps: BillingDeps, caller: Caller, customerId: string) =>
  unbilledTotals(deps, { customerId }, (s, f) => factorFor(caller, s, f));

/** Partner view: what that partner owes for its customers' subscriptions (as partner of record or reseller); `month` for month so far. */
export function partnerUnbilled(deps: BillingDeps, caller: Caller, partnerId: string, month?: string): Promise<Money[]> | [] {
  if (caller.kind !== 'OPERATOR' && caller.partnerId !== partnerId) return [];
  return unbilledTotals(deps, { $or: [{ partnerId }, { resellerId: partnerId }] }, (s, f) => (s.partnerId === partnerId ? f.vendor : f.reseller), month);
}

/** Customer view of this month so far, at the price the caller pays. */
export const customerMonthSoFar = (deps: BillingDeps, caller: Caller, customerId: string, month: string) =>
  unbilledTotals(deps, { customerId }, (s, f) => factorFor(caller, s, f), month);

/** What a customer's subscriptions cost its partner so far this month (spending budgets). */
export const customerMonthToDate = (deps: BillingDeps, customerId: string, partnerId: string, month: string) =>
  unbilledTotals(deps, { customerId }, (s, f) => (s.partnerId === partnerId ? f.vendor : s.resellerId === partnerId ? f.reseller : null), month);
