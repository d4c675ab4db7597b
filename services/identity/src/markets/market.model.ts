import { projectionFields } from '@csp/kernel';
import { Schema, type Connection, type Model } from 'mongoose';

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

const schema = new Schema<MarketDoc>(
  {
    _id: String,
    name: { type: String, required: true },
    currency: { type: String, required: true },
    countries: { type: [String], index: true },
    ...projectionFields,
  },
  { versionKey: false },
);

export const marketModel = (conn: Connection): Model<MarketDoc> =>
  (conn.models.Market as Model<MarketDoc>) ?? conn.model<MarketDoc>('Market', schema, 'markets');
