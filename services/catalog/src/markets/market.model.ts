import { outboxSchema, type Envelope, docSchema, modelOn } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

export interface MarketDoc {
  /** The market code, e.g. DE. */
  _id: string;
  name: string;
  currency: string;
  countries: string[];
  updatedAt: Date;
  outbox: Envelope[];
}

/**
 * One document per country, `_id` = country code: inserting it claims the country for a market,
 * so a country belongs to exactly one market even when two upserts race.
 */
export interface MarketCountryDoc {
  _id: string;
  market: string;
}

const marketSchema = docSchema<MarketDoc>({
  name: { type: String, required: true },
  currency: { type: String, required: true },
  countries: { type: [String], default: [] },
  updatedAt: { type: Date, required: true },
  outbox: { type: [outboxSchema], default: [] },
});

const countrySchema = docSchema<MarketCountryDoc>({ market: { type: String, required: true, index: true } });

export const marketModel = (conn: Connection): Model<MarketDoc> => modelOn<MarketDoc>(conn, 'Market', marketSchema, 'markets');

export const marketCountryModel = (conn: Connection): Model<MarketCountryDoc> => modelOn<MarketCountryDoc>(conn, 'MarketCountry', countrySchema, 'market_countries');
