import { event, type BillingType, type OfferFamily } from '@csp/events';
import { badInput, boundedDecimal, BOUNDS, cleanName, isDuplicateKey, newId, paginate, type ConnectionShape, type AggregateLocks, type Clock } from '@csp/kernel';
import type { Model } from 'mongoose';
import type { MarketDoc } from '../markets/market.model';
import type { MarketService } from '../markets/market.service';
import { marketCode } from '../shared/codes';
import type { OfferDoc, OfferPriceDoc } from './offer.model';
import { availabilityList } from './offer.type';

export interface OfferDefinition {
  name: string;
  family: OfferFamily;
  billingType: BillingType;
  minQuantity?: number | null;
  maxQuantity?: number | null;
  prices?: Array<{ market: string; unitPrice: string }> | null;
}

const FAMILIES = new Set<OfferFamily>(['AZURE', 'OFFICE_365', 'DYNAMICS_365', 'THIRD_PARTY']);
const MAX_SEATS = 1_000_000;

export class OfferService {
  constructor(
    private readonly clock: Clock,
    private readonly locks: AggregateLocks,
    readonly offers: Model<OfferDoc>,
    private readonly markets: MarketService,
  ) {}

  /**
   * Publishes a new offer (operator, or the seed with a fixed id and availability). Everything is
   * checked before the one insert that stores the offer with its events, so bad input stores
   * nothing. With a fixed id an existing offer is kept as is (`created: false`).
   */
  async publish(
    input: OfferDefinition,
    opts: { id?: string; availability?: Record<string, Date>; publishedAt?: Date } = {},
  ): Promise<{ doc: OfferDoc; created: boolean }> {
    const def = await this.validate(input);
    const availability = opts.availability ? await this.validateAvailability(def, Object.keys(opts.availability), opts.availability) : {};
    const id = opts.id ?? newId('off');
    const clock = this.clock;
    const publishedAt = opts.publishedAt ?? clock.now();
    const doc: OfferDoc = { _id: id, ...def, availability, revision: 1, publishedAt, outbox: [] };
    doc.outbox.push(
      event('offer.published', { offerId: id, ...publishedFacts(doc), revision: 1, pricesEffectiveFrom: publishedAt.toISOString() }, clock),
      ...(Object.keys(availability).length ? [event('offer.availabilityChanged', { offerId: id, availability: availabilityList(availability), revision: 1 }, clock)] : []),
    );
    try {
      await this.offers.create(doc);
      return { doc, created: true };
    } catch (err) {
      if (!opts.id || !isDuplicateKey(err)) throw err;
      return { doc: (await this.offers.findById(id).lean<OfferDoc>())!, created: false };
    }
  }

  /**
   * Makes the offer available in `markets` from `availableFrom` (other markets keep theirs).
   * Read-modify-write under the offer's lock (the relay takes the same one); the event carries
   * the offer's whole availability with its dates.
   */
  async setAvailability(offerId: string, marketCodes: string[], availableFrom: Date): Promise<OfferDoc> {
    const current = await this.offers.findById(offerId).lean<OfferDoc>();
    if (!current) throw badInput(`Offer ${offerId} does not exist.`, 'offerId');
    const wanted = Object.fromEntries(marketCodes.map((m) => [marketCode(m, 'markets'), availableFrom]));
    if (Object.keys(wanted).length !== marketCodes.length) throw badInput('A market is listed twice.', 'markets');
    await this.validateAvailability(current, marketCodes.map((m) => m.trim().toUpperCase()), wanted);
    return this.locks.hold(this.offers.collection.name, offerId, async () => {
      const doc = (await this.offers.findById(offerId).lean<OfferDoc>())!;
      const availability = { ...doc.availability, ...wanted };
      const revision = doc.revision + 1;
      const ev = event('offer.availabilityChanged', { offerId, availability: availabilityList(availability), revision }, this.clock);
      const set = Object.fromEntries(Object.entries(wanted).map(([m, from]) => [`availability.${m}`, from]));
      await this.offers.updateOne({ _id: offerId }, { $set: { ...set, revision }, $push: { outbox: ev } });
      return { ...doc, availability, revision };
    });
  }

  /**
   * New prices for a LICENSE offer in some markets, in force from now (other markets keep
   * theirs). Goes out as `offer.published` with the whole price list and `pricesEffectiveFrom`,
   * so billing keeps the price history.
   */
  async setPrices(offerId: string, given: Array<{ market: string; unitPrice: string }>): Promise<OfferDoc> {
    const current = await this.offers.findById(offerId).lean<OfferDoc>();
    if (!current) throw badInput(`Offer ${offerId} does not exist.`, 'offerId');
    if (current.billingType !== 'LICENSE') throw badInput('USAGE offers are priced by the rate card of each market, not per offer.', 'offerId');
    if (!given.length) throw badInput('Name at least one price.', 'prices');
    const changed = await this.prices(given);
    return this.locks.hold(this.offers.collection.name, offerId, async () => {
      const doc = (await this.offers.findById(offerId).lean<OfferDoc>())!;
      const prices = [...doc.prices.filter((p) => !changed.some((c) => c.market === p.market)), ...changed].sort((a, b) => (a.market < b.market ? -1 : 1));
      const revision = doc.revision + 1;
      const now = this.clock.now();
      const next = { ...doc, prices, revision };
      const ev = event('offer.published', { offerId, ...publishedFacts(next), revision, pricesEffectiveFrom: now.toISOString() }, this.clock);
      await this.offers.updateOne({ _id: offerId }, { $set: { prices, revision }, $push: { outbox: ev } });
      return next;
    });
  }

  /** Offers available in `market` at `now`, paged by id. */
  list(market: string, now: Date, family: OfferFamily | null | undefined, page: { first?: number | null; after?: string | null }): Promise<ConnectionShape<OfferDoc>> {
    const filter: Record<string, unknown> = { [`availability.${market}`]: { $lte: now } };
    if (family) filter.family = family;
    return paginate(this.offers, filter, page);
  }

  private async validate(input: OfferDefinition): Promise<Omit<OfferDoc, '_id' | 'availability' | 'revision' | 'publishedAt' | 'outbox'>> {
    const name = cleanName(input.name, 'name', 200);
    if (!FAMILIES.has(input.family)) throw badInput(`Unknown offer family ${input.family}.`, 'family');
    if (input.billingType !== 'USAGE' && input.billingType !== 'LICENSE') throw badInput(`Unknown billing type ${input.billingType}.`, 'billingType');
    const usage = input.billingType === 'USAGE';
    const minQuantity = input.minQuantity ?? 1;
    const maxQuantity = input.maxQuantity ?? (usage ? minQuantity : 300);
    for (const [field, q] of [['minQuantity', minQuantity], ['maxQuantity', maxQuantity]] as const) {
      if (!Number.isSafeInteger(q) || q < 1 || q > MAX_SEATS) throw badInput(`${field} must be a whole number from 1 to ${MAX_SEATS}.`, field);
    }
    if (minQuantity > maxQuantity) throw badInput(`minQuantity (${minQuantity}) is greater than maxQuantity (${maxQuantity}).`, 'minQuantity');
    if (usage && maxQuantity !== 1) throw badInput('A USAGE offer is bought once per subscription (quantity 1); usage is metered, not counted in seats.', 'maxQuantity');

    const given = input.prices ?? [];
    if (usage && given.length) throw badInput('USAGE offers are priced by the rate card of each market, not per offer.', 'prices');
    if (!usage && !given.length) throw badInput('A LICENSE offer needs a unit price in at least one market.', 'prices');
    const prices = await this.prices(given);
    return { name, family: input.family, billingType: input.billingType, minQuantity, maxQuantity, prices };
  }

  /** Known markets, each once, prices not negative, in the market's currency. */
  private async prices(given: Array<{ market: string; unitPrice: string }>): Promise<OfferPriceDoc[]> {
    const codes = given.map((p) => marketCode(p.market, 'prices.market'));
    if (new Set(codes).size !== codes.length) throw badInput('A market has two prices.', 'prices');
    const known = await this.markets.known(codes);
    return given.map((p, i) => {
      const market = requireMarket(known, codes[i], 'prices.market');
      return { market: codes[i], currency: market.currency, unitPrice: boundedDecimal(p.unitPrice, 'prices.unitPrice', BOUNDS.unitPrice) };
    });
  }

  /** Every market exists, and a LICENSE offer has a price in each. */
  private async validateAvailability(offer: Pick<OfferDoc, 'billingType' | 'prices'>, codes: string[], map: Record<string, Date>): Promise<Record<string, Date>> {
    if (!codes.length) throw badInput('Name at least one market.', 'markets');
    const known = await this.markets.known(codes);
    for (const code of codes) {
      requireMarket(known, code, 'markets');
      if (offer.billingType === 'LICENSE' && !offer.prices.some((p) => p.market === code)) {
        throw badInput(`The offer has no price in market ${code}; publish it with a price there first.`, 'markets');
      }
      if (Number.isNaN(map[code]?.getTime())) throw badInput('availableFrom is not a date.', 'availableFrom');
    }
    return map;
  }
}

function requireMarket(known: Map<string, MarketDoc>, code: string, field: string): MarketDoc {
  const market = known.get(code);
  if (!market) throw badInput(`"${code}" is not a market we sell in.`, field);
  return market;
}

function publishedFacts(doc: OfferDoc) {
  return {
    name: doc.name,
    family: doc.family,
    billingType: doc.billingType,
    minQuantity: doc.minQuantity,
    maxQuantity: doc.maxQuantity,
    prices: doc.prices.map((p) => ({ market: p.market, currency: p.currency, unitPrice: p.unitPrice })),
  };
}
