import { outboxSchema, type Envelope } from '@csp/kernel';
import { Schema, type Connection, type Model } from 'mongoose';

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

const marketSchema = new Schema<MarketDoc>(
  {
    _id: String,
    name: { type: String, required: true },
    currency: { type: String, required: true },
    countries: { type: [String], default: [] },
    updatedAt: { type: Date, required: true },
    outbox: { type: [outboxSchema], default: [] },
  },
  { versionKey: false },
);

const countrySchema = new Schema<MarketCountryDoc>(
  { _id: String, market: { type: String, required: true, index: true } },
  { versionKey: false },
);

export const marketModel = (conn: Connection): Model<MarketDoc> =>
  (conn.models.Market as Model<MarketDoc>) ?? conn.model<MarketDoc>('Market', marketSchema, 'markets');

export const marketCountryModel = (conn: Connection): Model<MarketCountryDoc> =>
  (conn.models.MarketCountry as Model<MarketCountryDoc>) ?? conn.model<MarketCountryDoc>('MarketCountry', countrySchema, 'market_countries');
