import { Schema, type Connection, type Model } from 'mongoose';
import { outboxSchema, type Envelope } from '@csp/kernel';

/** One day's usage report from the simulated cloud; its id names the day, so it is made once. */
export interface UsageBatchDoc {
  _id: string;
  usageDate: string;
  records: number;
  createdAt: Date;
  outbox: Envelope[];
}

const schema = new Schema<UsageBatchDoc>(
  { _id: String, usageDate: String, records: Number, createdAt: Date, outbox: { type: [outboxSchema], default: [] } },
  { versionKey: false },
);

export const usageBatchModel = (conn: Connection): Model<UsageBatchDoc> =>
  (conn.models.UsageBatch as Model<UsageBatchDoc>) ?? conn.model<UsageBatchDoc>('UsageBatch', schema, 'sim_usage_batches');
