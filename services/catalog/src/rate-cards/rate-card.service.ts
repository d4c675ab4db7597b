import { event, type RateCardMeterSnapshot } from '@csp/events';
import { badInput, conflict, isDuplicateKey, paginate, type ConnectionShape, type Clock } from '@csp/kernel';
import type { Model } from 'mongoose';
import type { MarketService } from '../markets/market.service';
import { marketCode } from '../shared/codes';
import type { MeterDoc, RateCardDoc } from './rate-card.model';
import { validateMeters } from './tiers';

export interface RateCardDefinition {
  market: string;
  effectiveFrom: Date;
  meters: RateCardMeterSnapshot[];
}

export class RateCardService {
  constructor(
    private readonly clock: Clock,
    readonly cards: Model<RateCardDoc>,
    readonly meters: Model<MeterDoc>,
    private readonly markets: MarketService,
  ) {}

  /**
   * Adds a card to the market's history (never replaces one). Everything is validated before the
   * first write; the same card published twice is a no-op, a different card for the same market
   * and instant is CONFLICT.
   */
  async publish(input: RateCardDefinition): Promise<{ doc: RateCardDoc; created: boolean }> {
    const code = marketCode(input.market);
    const market = (await this.markets.known([code])).get(code);
    if (!market) throw badInput(`"${input.market}" is not a market we sell in.`, 'market');
    if (!(input.effectiveFrom instanceof Date) || Number.isNaN(input.effectiveFrom.getTime())) throw badInput('effectiveFrom is not a date.', 'effectiveFrom');
    const meters = validateMeters(input.meters);
    const id = `rc_${code}_${input.effectiveFrom.toISOString()}`;
    const card = { market: code, currency: market.currency, effectiveFrom: input.effectiveFrom, meters };

    const existing = await this.cards.findById(id).lean<RateCardDoc>();
    if (existing) return { doc: sameOrConflict(existing, card), created: false };

    // The meter catalog first: if we stop here, publishing again completes the card.
    await Promise.all(meters.map((m) => this.upsertMeter(m)));
    const snapshot = { ...card, effectiveFrom: card.effectiveFrom.toISOString() };
    const doc: RateCardDoc = { _id: id, ...card, publishedAt: this.clock.now(), outbox: [event('rateCard.published', snapshot, this.clock)] };
    try {
      await this.cards.create(doc);
      return { doc, created: true };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      return { doc: sameOrConflict((await this.cards.findById(id).lean<RateCardDoc>())!, card), created: false };
    }
  }

  /** Two upserts of a new meter can race (two replicas seeding): the loser's retry updates. */
  private async upsertMeter(m: RateCardMeterSnapshot, retry = true): Promise<void> {
    try {
      await this.meters.updateOne({ _id: m.id }, { $set: { name: m.name, category: m.category, unit: m.unit } }, { upsert: true });
    } catch (err) {
      if (!retry || !isDuplicateKey(err)) throw err;
      await this.upsertMeter(m, false);
    }
  }

  /** The card of `market` in force at `at`: the latest effectiveFrom not after it. */
  inForce(market: string, at: Date): Promise<RateCardDoc | null> {
    return this.cards.findOne({ market, effectiveFrom: { $lte: at } }).sort({ effectiveFrom: -1 }).lean<RateCardDoc>();
  }

  /** Every card of a market, oldest first (ids embed the ISO instant, so id order is date order). */
  history(market: string, page: { first?: number | null; after?: string | null }): Promise<ConnectionShape<RateCardDoc>> {
    return paginate(this.cards, { market }, page);
  }
}

function sameOrConflict(existing: RateCardDoc, card: Pick<RateCardDoc, 'currency' | 'meters'>): RateCardDoc {
  const norm = (meters: RateCardMeterSnapshot[]) =>
    JSON.stringify(meters.map((m) => ({ id: m.id, name: m.name, category: m.category, unit: m.unit, rates: m.rates.map((r) => [r.fromQuantity, r.price]) })));
  if (existing.currency === card.currency && norm(existing.meters) === norm(card.meters)) return existing;
  throw conflict(`Market ${existing.market} already has a different rate card from ${new Date(existing.effectiveFrom).toISOString()}; cards are history and are never replaced.`);
}
