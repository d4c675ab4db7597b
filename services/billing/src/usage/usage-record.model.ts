import { docSchema, modelOn, required } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

/**
 * One accepted usage row. `_id` is the writer's recordId in the writer's key space (usageKey), so
 * a repeat cannot be stored twice and one writer cannot claim another's id.
 */
export interface UsageRecordDoc {
  _id: string;
  /** "vendor" or the partner id of a partner-bound client (absent on rows stored before scoping). */
  writer?: string;
  recordId?: string;
  subscriptionId: string;
  meterId: string;
  quantity: string;
  usageDate: string;
  month: string;
  /** Platform time of ingestion: which invoice run bills it (runs/billing-window.ts). */
  receivedAt: Date;
  /** Rows from before batches only: in its month's day totals (a batch's rows are settled by its pending document, usage-months.ts). */
  folded?: boolean;
  /** The ingestion call that stored it (one fold adds one batch's rows of a group). */
  batch?: string;
}

const schema = docSchema<UsageRecordDoc>({
  writer: String,
  recordId: String,
  subscriptionId: required(String),
  meterId: required(String),
  quantity: required(String),
  usageDate: required(String),
  month: required(String),
  receivedAt: required(Date),
  folded: Boolean,
  batch: String,
});
schema.index({ subscriptionId: 1, month: 1 });
schema.index({ month: 1, receivedAt: 1 });
schema.index({ folded: 1 });

export const usageRecordModel = (conn: Connection): Model<UsageRecordDoc> => modelOn<UsageRecordDoc>(conn, 'UsageRecord', schema, 'usage_records');
