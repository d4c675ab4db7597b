import { event, type MarketSnapshot } from '@csp/events';
import { badInput, cleanName, conflict, countryCode, currencyCode, isDuplicateKey, type AggregateLocks, type Clock } from '@csp/kernel';
import type { Model } from 'mongoose';
import { marketCode } from '../shared/codes';
import type { MarketCountryDoc, MarketDoc } from './market.model';

export class MarketService {
  constructor(
    private readonly clock: Clock,
    private readonly locks: AggregateLocks,
    readonly markets: Model<MarketDoc>,
    readonly countries: Model<MarketCountryDoc>,
  ) {}

  /** Codes that exist among `codes` (one store query). */
  async known(codes: string[]): Promise<Map<string, MarketDoc>> {
    const docs = await this.markets.find({ _id: { $in: codes } }).lean<MarketDoc[]>();
    return new Map(docs.map((d) => [d._id, d]));
  }

  /**
   * Creates or changes a market. Countries are claimed first (unique `_id` per country), so a
   * country another market holds is refused and nothing changes; `market.upserted` goes out
   * only when something did change. Returns the market as stored.
   */
  async upsert(input: MarketSnapshot): Promise<MarketDoc> {
    const want = validate(input);
    return this.locks.hold(this.markets.collection.name, want.code, async () => {
      const existing = await this.markets.findById(want.code).lean<MarketDoc>();
      if (existing && same(existing, want)) return existing;
      if (existing && existing.currency !== want.currency) {
        throw badInput(`Market ${want.code} is priced in ${existing.currency}; its currency cannot change.`, 'currency');
      }

      const claimed: string[] = [];
      try {
        for (const country of want.countries) {
          if (await this.claim(country, want.code)) claimed.push(country);
        }
      } catch (err) {
        await this.countries.deleteMany({ _id: { $in: claimed }, market: want.code });
        throw err;
      }
      const released = (existing?.countries ?? []).filter((c) => !want.countries.includes(c));
      const ev = event('market.upserted', want, this.clock);
      const now = this.clock.now();
      if (existing) {
        await this.markets.updateOne(
          { _id: want.code },
          { $set: { name: want.name, currency: want.currency, countries: want.countries, updatedAt: now }, $push: { outbox: ev } },
        );
      } else {
        await this.markets.create({ _id: want.code, name: want.name, currency: want.currency, countries: want.countries, updatedAt: now, outbox: [ev] });
      }
      if (released.length) await this.countries.deleteMany({ _id: { $in: released }, market: want.code });
      return { ...(existing ?? { outbox: [] }), _id: want.code, name: want.name, currency: want.currency, countries: want.countries, updatedAt: now };
    });
  }

  /** True when this call made the claim; false when the market already held the country. */
  private async claim(country: string, market: string): Promise<boolean> {
    try {
      await this.countries.create({ _id: country, market });
      return true;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const holder = await this.countries.findById(country).lean();
      if (holder?.market === market) return false;
      throw conflict(`${country} already belongs to market ${holder?.market ?? '(another)'}; a country belongs to exactly one market.`);
    }
  }
}

function validate(input: MarketSnapshot): MarketSnapshot {
  const code = marketCode(input.code, 'code');
  const name = cleanName(input.name, 'name', 100);
  const currency = currencyCode(input.currency, 'currency');
  const countries = input.countries.map((c) => countryCode(c, 'countries'));
  if (!countries.length) throw badInput('A market covers at least one country.', 'countries');
  if (new Set(countries).size !== countries.length) throw badInput('A country is listed twice.', 'countries');
  return { code, name, currency, countries: countries.sort() };
}

function same(doc: MarketDoc, want: MarketSnapshot): boolean {
  return doc.name === want.name && doc.currency === want.currency && [...doc.countries].sort().join() === want.countries.join();
}
