import { Dec, formatExact, formatMoney, roundMoney } from '../money/decimal';

/**
 * USAGE and LICENSE: the vendor's. PARTNER_MONTHLY, PARTNER_ONE_TIME (a partner's own offers) and
 * CUSTOMER_CHARGE (one-off charges): only ever on their partner's invoices to its customers.
 */
export type ChargeType = 'USAGE' | 'LICENSE' | 'PARTNER_MONTHLY' | 'PARTNER_ONE_TIME' | 'CUSTOMER_CHARGE';

/** What a charge is, and for whom and when: the same on the vendor charge, the priced line and the invoice line. */
export interface ChargeOf {
  /** Deterministic within an invoice: the same charge always gets the same key. */
  lineKey: string;
  subscriptionId: string;
  customerId: string;
  chargeType: ChargeType;
  description: string;
  meterId?: string;
  /** A one-off charge's id (CUSTOMER_CHARGE lines have no subscription). */
  chargeId?: string;
  usageFrom: string;
  usageTo: string;
}

/**
 * One charge at vendor prices, before any markup and before rounding. Every invoice kind
 * derives its lines from these by a price factor, then rounds once per line.
 */
export interface VendorCharge extends ChargeOf {
  quantity: Dec;
  /** Vendor unit price (usage: per unit at this tier; license: per licence and month). */
  unitPrice: Dec;
  /** License proration: charged days / days in month (1 for usage). */
  share: Dec;
  currency: string;
}

export interface PricedLine extends ChargeOf {
  quantity: string;
  unitPrice: string;
  amount: string;
  currency: string;
  /** Set when converted to the agreed currency (fx-conversion.ts): the charge in its market currency and the rate. */
  sourceCurrency?: string;
  sourceAmount?: string;
  fxRate?: string;
}

/** Prices a vendor charge for one invoice: unit × factor exactly, amount rounded once (half-even). */
export function priceLine(c: VendorCharge, factor: Dec): PricedLine {
  const unit = c.unitPrice.times(factor);
  const amount = roundMoney(c.quantity.times(unit).times(c.share), c.currency);
  return {
    lineKey: c.lineKey,
    subscriptionId: c.subscriptionId,
    customerId: c.customerId,
    chargeType: c.chargeType,
    description: c.description,
    meterId: c.meterId,
    ...(c.chargeId ? { chargeId: c.chargeId } : {}),
    quantity: formatExact(c.quantity),
    unitPrice: formatExact(unit),
    amount: formatMoney(amount, c.currency),
    currency: c.currency,
    usageFrom: c.usageFrom,
    usageTo: c.usageTo,
  };
}

/** Exact sum of already-rounded amounts. */
export const sumAmounts = (amounts: string[], currency: string) =>
  formatMoney(amounts.reduce((s, a) => s.plus(a), new Dec(0)), currency);
