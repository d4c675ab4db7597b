import { dayInPeriod, dayOf, daysInPeriod, periodEnd, periodStart } from '../money/dates';
import type { FactType, SubFactDoc } from './sub-fact.model';

export type SubStatus = 'PROVISIONING' | 'ACTIVE' | 'SUSPENDED' | 'CANCELLED' | 'FAILED';

/** Same-instant facts apply in lifecycle order. */
const ORDER: Record<FactType, number> = { created: 0, activated: 1, quantityChanged: 2, suspended: 3, reactivated: 4, cancelled: 5, failed: 6 };

/** A subscription as billing sees it: who pays, what it is, and its facts in time order. */
export interface SubView {
  id: string;
  customerId: string;
  partnerId: string;
  resellerId?: string;
  offerId: string;
  billingType: 'USAGE' | 'LICENSE' | 'PARTNER';
  market: string;
  /** First activation day (usage before it is rejected). */
  activatedOn?: string;
  /** Cancellation day (usage after it is rejected). */
  cancelledOn?: string;
  facts: SubFactDoc[];
}

export function subView(facts: SubFactDoc[]): SubView {
  const sorted = [...facts].sort((a, b) => a.at.getTime() - b.at.getTime() || ORDER[a.type] - ORDER[b.type]);
  const last = sorted[sorted.length - 1];
  const activated = sorted.find((f) => f.type === 'activated');
  const cancelled = sorted.find((f) => f.type === 'cancelled');
  return {
    id: last.subscriptionId,
    customerId: last.customerId,
    partnerId: last.partnerId,
    resellerId: last.resellerId ?? undefined,
    offerId: last.offerId,
    billingType: last.billingType,
    market: last.market,
    activatedOn: activated ? dayOf(activated.at) : undefined,
    cancelledOn: cancelled ? dayOf(cancelled.at) : undefined,
    facts: sorted,
  };
}

/** Groups facts by subscription into views. */
export function subViews(facts: SubFactDoc[]): Map<string, SubView> {
  const by = new Map<string, SubFactDoc[]>();
  for (const f of facts) by.set(f.subscriptionId, [...(by.get(f.subscriptionId) ?? []), f]);
  return new Map([...by].map(([id, fs]) => [id, subView(fs)]));
}

function apply(state: { status: SubStatus; quantity: number }, f: SubFactDoc) {
  switch (f.type) {
    case 'created':
      return { status: 'PROVISIONING' as const, quantity: f.quantity };
    case 'activated':
    case 'reactivated':
      return { status: 'ACTIVE' as const, quantity: f.quantity };
    case 'quantityChanged':
      return { ...state, quantity: f.quantity };
    case 'suspended':
      return { ...state, status: 'SUSPENDED' as const };
    case 'cancelled':
      return { ...state, status: 'CANCELLED' as const };
    case 'failed':
      return { ...state, status: 'FAILED' as const };
  }
}

export interface LicenseSegment {
  from: string;
  to: string;
  days: number;
  quantity: number;
}

/**
 * Days of `period` on which the subscription is charged, as runs of equal quantity. A day is
 * charged when the subscription is ACTIVE at the end of it, at the quantity it has then: the
 * activation day is paid, the day of a suspension or cancellation is not, and a quantity
 * change counts from its own day. `throughDay` (inclusive) cuts the month short (accrual so far).
 */
export function licenseSegments(view: SubView, period: string, throughDay?: string): LicenseSegment[] {
  const n = daysInPeriod(period);
  const facts = view.facts;
  let i = 0;
  let state: { status: SubStatus; quantity: number } = { status: 'PROVISIONING', quantity: 0 };
  // Everything before the period sets the state on its first day.
  const start = periodStart(period).getTime();
  while (i < facts.length && facts[i].at.getTime() < start) state = apply(state, facts[i++]);
  const out: LicenseSegment[] = [];
  for (let d = 1; d <= n; d++) {
    const day = dayInPeriod(period, d);
    if (throughDay && day > throughDay) break;
    const endOfDay = Math.min(start + d * 86_400_000, periodEnd(period).getTime());
    while (i < facts.length && facts[i].at.getTime() < endOfDay) state = apply(state, facts[i++]);
    if (state.status !== 'ACTIVE' || state.quantity <= 0) continue;
    const prev = out[out.length - 1];
    if (prev && prev.quantity === state.quantity && prev.to === dayInPeriod(period, d - 1)) {
      prev.to = day;
      prev.days++;
    } else {
      out.push({ from: day, to: day, days: 1, quantity: state.quantity });
    }
  }
  return out;
}
