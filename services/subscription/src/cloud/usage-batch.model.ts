import type { Connection, Model } from 'mongoose';
import { outboxField, type Envelope, docSchema, modelOn } from '@csp/kernel';

/** One day's usage report from the simulated cloud; its id names the day, so it is made once. */
export interface UsageBatchDoc {
  _id: string;
  usageDate: string;
  records: number;
  createdAt: Date;
  outbox: Envelope[];
}

const schema = docSchema<UsageBatchDoc>({ usageDate: String, records: Number, createdAt: Date, outbox: outboxField() });

export const usageBatchModel = (conn: Connection): Model<UsageBatchDoc> => modelOn<UsageBatchDoc>(conn, 'UsageBatch', schema, 'sim_usage_batches');
