import { projectionFields, docSchema, modelOn, required } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

/**
 * Identity's read model of catalog's markets, fed by `market.upserted` (never catalog's
 * database): a partner's market follows from its country, and sales stay inside it.
 */
export interface MarketDoc {
  _id: string; // market code
  name: string;
  currency: string;
  countries: string[];
  /** occurredAt of the event applied last: an older or replayed event changes nothing. */
  at: Date;
}

const schema = docSchema<MarketDoc>({
  name: required(String),
  currency: required(String),
  countries: { type: [String], index: true },
  ...projectionFields,
});

export const marketModel = (conn: Connection): Model<MarketDoc> => modelOn<MarketDoc>(conn, 'Market', schema, 'markets');
