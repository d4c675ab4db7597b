import type { PriceBook } from '../catalog/price-book';
import { daysInPeriod } from '../money/dates';
import { Dec } from '../money/decimal';
import { licenseSegments, type SubView } from '../subscriptions/timeline';
import type { VendorCharge } from './charge-line';
import { RatingError } from './usage-rating';
import { splitDays, type CutsOf } from './dated-prices';

/**
 * LICENSE charges of one month: quantity × monthly unit price × charged days / days in month,
 * one charge per segment of equal quantity (activation, quantity change, suspension and
 * cancellation each start or end a segment). `throughDay` accrues a month still running.
 */
export function rateLicense(sub: SubView, period: string, book: PriceBook, throughDay?: string, cutsOf?: CutsOf): VendorCharge[] {
  if (sub.billingType !== 'LICENSE') return [];
  const n = daysInPeriod(period);
  // A price (or markup) change inside a segment splits it: each part prorated by its days.
  const cuts = [...book.licensePriceCuts(sub.offerId, sub.market), ...(cutsOf ? cutsOf(sub) : [])];
  const parts = licenseSegments(sub, period, throughDay).flatMap((s) => splitDays(s.from, s.to, cuts).map((p) => ({ ...p, quantity: s.quantity })));
  return parts.map((s) => {
    const price = book.licensePrice(sub.offerId, sub.market, new Date(`${s.from}T00:00:00.000Z`));
    if (!price) throw new RatingError(`subscription ${sub.id}: offer ${sub.offerId} has no price in market ${sub.market}`);
    return {
      lineKey: `L|${sub.id}|${s.from}`,
      subscriptionId: sub.id,
      customerId: sub.customerId,
      chargeType: 'LICENSE' as const,
      description: `${book.offerName(sub.offerId)}: ${s.quantity} licence(s) ${s.from} to ${s.to} (${s.days}/${n} days)`,
      quantity: new Dec(s.quantity),
      unitPrice: price.unitPrice,
      share: new Dec(s.days).div(n),
      currency: price.currency,
      usageFrom: s.from,
      usageTo: s.to,
    };
  });
}
