import { badInput } from '@csp/kernel';
import type { Model } from 'mongoose';
import type { MarketDoc } from './market.model';

/** Country → market lookups over the local read model. */
export class MarketDirectory {
  constructor(private readonly markets: Model<MarketDoc>) {}

  /** The market a country lies in; BAD_USER_INPUT when no market covers it. */
  async ofCountry(country: string): Promise<MarketDoc> {
    const m = await this.markets.findOne({ countries: country }).lean<MarketDoc>();
    if (!m) throw badInput(`No market covers country ${country}.`, 'country');
    return m;
  }

  /** Currencies the vendor prices in: those of its markets (an agreement may choose any of them). */
  async currencies(): Promise<string[]> {
    const docs = await this.markets.find({}, { currency: 1 }).lean<Array<Pick<MarketDoc, 'currency'>>>();
    return [...new Set(docs.map((d) => d.currency))].sort();
  }

  async covers(marketCode: string, country: string): Promise<boolean> {
    return !!(await this.markets.exists({ _id: marketCode, countries: country }));
  }
}
