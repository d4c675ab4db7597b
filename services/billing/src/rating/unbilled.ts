import { Money, type Caller } from '@csp/kernel';
import { sumAmounts, priceLine } from './charge-line';
import type { BillingDeps } from '../deps';
import { Dec } from '../money/decimal';
import { loadPriceFactors, type DatedFactor, type PriceFactors } from '../pricing/price-factors';
import type { VendorCharge } from './charge-line';
import type { SubView } from '../subscriptions/timeline';

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
  // A partner's own offers: at its own price, for the partner, its customer and the operator.
  const partnerViews = new Map([...views].filter(([, s]) => s.billingType === 'PARTNER'));
  for (const id of partnerViews.keys()) views.delete(id);
  const partnerAmounts = await partnerUnbilledBySub(deps, new Map([...partnerViews].filter(([, s]) => mayReadPartnerOffer(caller, s))));
  const [book, factors] = await Promise.all([deps.loadPriceBook(), loadPriceFactors(deps.caches.markups, views.values())]);
  const visible = new Map([...views].filter(([, s]) => factorFor(caller, s, factors)));
  // Each day at the markups in force on it: a markup taking effect later never re-prices days accrued.
  const { charges, unpriced } = visible.size ? await deps.charges.unbilled(visible, book, (s) => factorFor(caller, s, factors)!.cuts(s)) : { charges: [], unpriced: new Map<string, string>() };
  if (unpriced.size) deps.logger.warn({ unpriced: Object.fromEntries(unpriced) }, 'unbilled charges cannot be priced');
  return ids.map((id) => {
    if (partnerViews.has(id)) return partnerAmounts.get(id) ?? null;
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
  const [book, factors] = await Promise.all([deps.loadPriceBook(), loadPriceFactors(deps.caches.markups, views.values())]);
  // Partner offers are not the vendor's: see partnerCustomerUnbilled.
  const visible = new Map([...views].filter(([, s]) => s.billingType !== 'PARTNER' && priceOf(s, factors)));
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

/** Customer view: each subscription at the price the caller pays, and the partners' own charges. */
export async function customerUnbilled(deps: BillingDeps, caller: Caller, customerId: string): Promise<Money[]> {
  const [vendor, own] = await Promise.all([unbilledTotals(deps, { customerId }, (s, f) => factorFor(caller, s, f)), partnerCustomerUnbilled(deps, caller, customerId)]);
  const totals = new Map(vendor.map((m) => [m.currency, [m.amount]]));
  for (const m of own) totals.set(m.currency, [...(totals.get(m.currency) ?? []), m.amount]);
  return [...totals].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, amounts]) => Money.of(sumAmounts(amounts, currency), currency));
}

/** Who sees a partner offer's charges: its partner, its customer, the operator (never a distributor). */
const mayReadPartnerOffer = (caller: Caller, s: SubView) =>
  caller.kind === 'OPERATOR' || (caller.kind === 'PARTNER_USER' && caller.partnerId === s.partnerId) || (caller.kind === 'CUSTOMER_USER' && caller.customerId === s.customerId);

/** Unbilled partner-offer charges per subscription, at the partner's own price. */
async function partnerUnbilledBySub(deps: BillingDeps, views: Map<string, SubView>): Promise<Map<string, Money>> {
  if (!views.size) return new Map();
  const { charges, unpriced } = await deps.partnerCharges.unbilled(views, await deps.charges.runCuts());
  if (unpriced.size) deps.logger.warn({ unpriced: Object.fromEntries(unpriced) }, 'unbilled partner-offer charges cannot be priced');
  const book = await deps.partnerCharges.book(views.values());
  const out = new Map<string, Money>();
  for (const s of views.values()) {
    if (unpriced.has(s.id)) continue;
    const mine = charges.filter((c) => c.subscriptionId === s.id);
    const currency = mine[0]?.currency ?? book.priceAt(s.offerId, deps.clock.now())?.currency;
    if (currency) out.set(s.id, Money.of(sumAmounts(mine.map((c) => priceLine(c, new Dec(1)).amount), currency), currency));
  }
  return out;
}

/** A customer's unbilled partner-offer charges and one-off charges, of the partners the caller may see. */
async function partnerCustomerUnbilled(deps: BillingDeps, caller: Caller, customerId: string): Promise<Money[]> {
  const partnerId = caller.kind === 'PARTNER_USER' ? caller.partnerId : undefined;
  if (caller.kind === 'PARTNER_USER' && !partnerId) return [];
  if (caller.kind === 'CUSTOMER_USER' && caller.customerId !== customerId) return [];
  if (caller.kind === 'SERVICE') return [];
  const views = await deps.charges.views({ customerId, billingType: 'PARTNER', ...(partnerId ? { partnerId } : {}) });
  const runs = await deps.charges.runCuts();
  const [bySub, oneOff] = await Promise.all([partnerUnbilledBySub(deps, views), deps.partnerCharges.unbilledCharges({ customerId, ...(partnerId ? { partnerId } : {}) }, runs)]);
  const totals = new Map<string, string[]>();
  for (const m of bySub.values()) totals.set(m.currency, [...(totals.get(m.currency) ?? []), m.amount]);
  for (const c of oneOff) totals.set(c.currency, [...(totals.get(c.currency) ?? []), c.amount]);
  return [...totals].map(([currency, amounts]) => Money.of(sumAmounts(amounts, currency), currency));
}

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
