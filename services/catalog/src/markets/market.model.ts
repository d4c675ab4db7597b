import { outboxField, type Envelope, docSchema, modelOn, required } from '@csp/kernel';
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
  name: required(String),
  currency: required(String),
  countries: { type: [String], default: [] },
  updatedAt: required(Date),
  outbox: outboxField(),
});

const countrySchema = docSchema<MarketCountryDoc>({ market: required(String, { index: true }) });

export const marketModel = (conn: Connection): Model<MarketDoc> => modelOn<MarketDoc>(conn, 'Market', marketSchema, 'markets');

export const marketCountryModel = (conn: Connection): Model<MarketCountryDoc> => modelOn<MarketCountryDoc>(conn, 'MarketCountry', countrySchema, 'market_countries');
