import type { Model } from 'mongoose';
import type { BillPartnerOfferDoc, BillPartnerOfferPriceDoc } from '../partner-offers/partner-offer.model';
import { dayOf, daysInPeriod, periodOf } from '../money/dates';
import { Dec } from '../money/decimal';
import { licenseSegments, type SubView } from '../subscriptions/timeline';
import type { VendorCharge } from './charge-line';
import { RatingError } from './usage-rating';

/** Partner offers and their prices, read once per job or request (they are few). */
export class PartnerOfferBook {
  private readonly offers: Map<string, BillPartnerOfferDoc>;
  private readonly prices = new Map<string, BillPartnerOfferPriceDoc[]>();

  constructor(offers: BillPartnerOfferDoc[], prices: BillPartnerOfferPriceDoc[]) {
    this.offers = new Map(offers.map((o) => [o._id, o]));
    for (const p of prices) this.prices.set(p.offerId, [...(this.prices.get(p.offerId) ?? []), p]);
    for (const list of this.prices.values()) list.sort((a, b) => a.effectiveFrom.getTime() - b.effectiveFrom.getTime() || (a._id < b._id ? -1 : 1));
  }

  static async load(m: { partnerOffers: Model<BillPartnerOfferDoc>; partnerOfferPrices: Model<BillPartnerOfferPriceDoc> }, offerIds: string[]): Promise<PartnerOfferBook> {
    if (!offerIds.length) return new PartnerOfferBook([], []);
    const [offers, prices] = await Promise.all([
      m.partnerOffers.find({ _id: { $in: offerIds } }).lean<BillPartnerOfferDoc[]>(),
      m.partnerOfferPrices.find({ offerId: { $in: offerIds } }).lean<BillPartnerOfferPriceDoc[]>(),
    ]);
    return new PartnerOfferBook(offers, prices);
  }

  offer(id: string): BillPartnerOfferDoc | undefined {
    return this.offers.get(id);
  }

  /** The price in force at `at` (the latest effective by then; the first one before any). */
  priceAt(offerId: string, at: Date): { unitPrice: Dec; currency: string } | undefined {
    const list = this.prices.get(offerId);
    if (!list?.length) return undefined;
    const p = [...list].reverse().find((x) => x.effectiveFrom.getTime() <= at.getTime()) ?? list[0];
    return { unitPrice: new Dec(p.unitPrice), currency: p.currency };
  }
}

const endOfDay = (day: string) => new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000 - 1);
const nextDay = (day: string) => dayOf(new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000));

/**
 * What a partner-offer subscription charges in `period`, at the partner's own price (no markup):
 * MONTHLY per unit and month, prorated by day exactly like a licence — a day is charged when the
 * subscription is ACTIVE at its end (fulfilment or activation day paid), at its quantity and the
 * price in force then, one charge per run of equal quantity and price; ONE_TIME once, in the month
 * it was ordered, at the price then — unless it was cancelled before ever being active in that
 * month. `throughDay` accrues a month still running.
 */
export function ratePartnerOffer(sub: SubView, period: string, book: PartnerOfferBook, throughDay?: string): VendorCharge[] {
  if (sub.billingType !== 'PARTNER') return [];
  const offer = book.offer(sub.offerId);
  if (!offer) throw new RatingError(`subscription ${sub.id}: partner offer ${sub.offerId} is not known to billing`);
  if (offer.chargeType === 'ONE_TIME') return oneTime(sub, period, book, offer);
  const n = daysInPeriod(period);
  const out: VendorCharge[] = [];
  for (const s of licenseSegments(sub, period, throughDay)) {
    // Split the segment where the price changes (a day takes the price in force at its end).
    let from = s.from;
    let days = 0;
    let current: { unitPrice: Dec; currency: string } | undefined;
    const flush = (to: string) => {
      if (!current || !days) return;
      out.push({
        lineKey: `P|${sub.id}|${from}`,
        subscriptionId: sub.id,
        customerId: sub.customerId,
        chargeType: 'PARTNER_MONTHLY',
        description: `${offer.name}: ${s.quantity} unit(s) ${from} to ${to} (${days}/${n} days)`,
        quantity: new Dec(s.quantity),
        unitPrice: current.unitPrice,
        share: new Dec(days).div(n),
        currency: current.currency,
        usageFrom: from,
        usageTo: to,
      });
    };
    let prev = s.from;
    for (let day = s.from, i = 0; i < s.days; day = nextDay(day), i++) {
      const price = book.priceAt(sub.offerId, endOfDay(day));
      if (!price) throw new RatingError(`subscription ${sub.id}: partner offer ${sub.offerId} has no price`);
      if (current && !(current.unitPrice.eq(price.unitPrice) && current.currency === price.currency)) {
        flush(prev);
        from = day;
        days = 0;
      }
      current = price;
      days++;
      prev = day;
    }
    flush(prev);
  }
  return out;
}

function oneTime(sub: SubView, period: string, book: PartnerOfferBook, offer: BillPartnerOfferDoc): VendorCharge[] {
  const created = sub.facts.find((f) => f.type === 'created');
  if (!created || periodOf(created.at) !== period) return [];
  const end = Date.parse(`${period}-01T00:00:00.000Z`) + daysInPeriod(period) * 86_400_000;
  const inMonth = sub.facts.filter((f) => f.at.getTime() < end);
  const everActive = inMonth.some((f) => f.type === 'activated');
  const ended = inMonth.some((f) => f.type === 'cancelled' || f.type === 'failed');
  if (ended && !everActive) return [];
  const price = book.priceAt(sub.offerId, created.at);
  if (!price) throw new RatingError(`subscription ${sub.id}: partner offer ${sub.offerId} has no price`);
  const day = dayOf(created.at);
  return [
    {
      lineKey: `P1|${sub.id}`,
      subscriptionId: sub.id,
      customerId: sub.customerId,
      chargeType: 'PARTNER_ONE_TIME',
      description: `${offer.name}: ${created.quantity} unit(s), ordered ${day}`,
      quantity: new Dec(created.quantity),
      unitPrice: price.unitPrice,
      share: new Dec(1),
      currency: price.currency,
      usageFrom: day,
      usageTo: day,
    },
  ];
}
