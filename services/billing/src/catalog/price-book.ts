import type { Model } from 'mongoose';
import { dayOf } from '../money/dates';
import { Dec } from '../money/decimal';
import type { OfferDoc, OfferPriceDoc } from './offer.model';
import type { RateCardDoc, RateTier } from './rate-card.model';
import { firstWholeDay } from '../rating/dated-prices';

export interface MeterRate {
  market: string;
  currency: string;
  cardFrom: string;
  meterName: string;
  tiers: Array<{ from: Dec; price: Dec; fromText: string }>;
}

/**
 * The catalog facts billing needs, read once per batch or job (rate cards and prices are few):
 * "the rate of meter M in market K on day D" and "the license price of offer O in market K".
 */
export class PriceBook {
  private readonly cards = new Map<string, RateCardDoc[]>();
  private readonly meters = new Set<string>();
  // Usage is rated (and validated) row by row: a book answers each (market, day) and (card, meter) once.
  private readonly cardsOn = new Map<string, RateCardDoc | undefined>();
  private readonly rates = new Map<RateCardDoc, Map<string, MeterRate | undefined>>();

  constructor(
    cards: RateCardDoc[],
    private readonly prices: OfferPriceDoc[] = [],
    private readonly offers = new Map<string, OfferDoc>(),
  ) {
    for (const c of cards) {
      this.cards.set(c.market, [...(this.cards.get(c.market) ?? []), c]);
      for (const m of c.meters) this.meters.add(m.id);
    }
    // Latest first; `effectiveFrom` is a day or an ISO instant.
    for (const list of this.cards.values()) list.sort((a, b) => Date.parse(b.effectiveFrom) - Date.parse(a.effectiveFrom));
  }

  static async load(models: { rateCards: Model<RateCardDoc>; offerPrices: Model<OfferPriceDoc>; offers: Model<OfferDoc> }): Promise<PriceBook> {
    const [cards, prices, offers] = await Promise.all([
      models.rateCards.find().lean<RateCardDoc[]>(),
      models.offerPrices.find().lean<OfferPriceDoc[]>(),
      models.offers.find().lean<OfferDoc[]>(),
    ]);
    return new PriceBook(cards, prices, new Map(offers.map((o) => [o._id, o])));
  }

  knowsMeter(meterId: string): boolean {
    return this.meters.has(meterId);
  }

  /** The card for usage of `day`: the latest that took effect on or before that day (UTC). */
  cardOn(market: string, day: string): RateCardDoc | undefined {
    const key = `${market}|${day}`;
    if (this.cardsOn.has(key)) return this.cardsOn.get(key);
    const card = this.cards.get(market)?.find((c) => effectiveDay(c.effectiveFrom) <= day);
    // Days are few (a book lives as long as its catalog version); the bound keeps a long-lived one small.
    if (this.cardsOn.size >= 50_000) this.cardsOn.clear();
    this.cardsOn.set(key, card);
    return card;
  }

  /** The tiers of `meterId` in the card of `market` in force on `day`; undefined when none. Shared: callers do not change it. */
  rate(market: string, meterId: string, day: string): MeterRate | undefined {
    const card = this.cardOn(market, day);
    if (!card) return undefined;
    let byMeter = this.rates.get(card);
    if (!byMeter) this.rates.set(card, (byMeter = new Map()));
    if (byMeter.has(meterId)) return byMeter.get(meterId);
    const meter = card.meters.find((m) => m.id === meterId);
    const rate = meter && { market, currency: card.currency, cardFrom: effectiveDay(card.effectiveFrom), meterName: meter.name, tiers: sortTiers(meter.rates) };
    byMeter.set(meterId, rate);
    return rate;
  }

  offerName(offerId: string): string {
    return this.offers.get(offerId)?.name ?? offerId;
  }

  /** The monthly unit price in force at `at`, else the earliest one published (prices predating our history). */
  licensePrice(offerId: string, market: string, at: Date): { unitPrice: Dec; currency: string } | undefined {
    const list = this.prices.filter((p) => p.offerId === offerId && p.market === market).sort((a, b) => a.effectiveAt.getTime() - b.effectiveAt.getTime());
    if (!list.length) return undefined;
    const inForce = [...list].reverse().find((p) => p.effectiveAt.getTime() <= at.getTime()) ?? list[0];
    return { unitPrice: new Dec(inForce.unitPrice), currency: inForce.currency };
  }

  /** Days from which a new licence price of the offer applies (a day is priced as of its start). */
  licensePriceCuts(offerId: string, market: string): string[] {
    // The earliest price also prices the days before it: nothing changes at its own day.
    const list = this.prices.filter((p) => p.offerId === offerId && p.market === market).sort((a, b) => a.effectiveAt.getTime() - b.effectiveAt.getTime());
    return list.slice(1).map((p) => firstWholeDay(p.effectiveAt));
  }

  /** Currency of a subscription's charges: its market's rate card or license price. */
  currencyOf(market: string, offerId: string): string | undefined {
    return this.cards.get(market)?.[0]?.currency ?? this.prices.find((p) => p.offerId === offerId && p.market === market)?.currency;
  }
}

/** "2026-10-16" from "2026-10-16" or "2026-10-16T00:00:00.000Z". */
export const effectiveDay = (effectiveFrom: string) => dayOf(new Date(effectiveFrom));

function sortTiers(rates: RateTier[]) {
  return rates
    .map((r) => ({ from: new Dec(r.fromQuantity), price: new Dec(r.price), fromText: r.fromQuantity }))
    .sort((a, b) => a.from.comparedTo(b.from));
}
