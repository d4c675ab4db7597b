import { docSchema, modelOn, required } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

/**
 * Running total of one subscription's usage of one meter in one month, per day (exact decimal
 * strings): rating a day's total is rating its rows (usage-months.ts). Written only by a fold,
 * under the group's lock; `version` lets a reader see that a fold ran while it read.
 */
export interface UsageMonthDoc {
  _id: string; // usageGroupKey(subscriptionId, meterId, month)
  subscriptionId: string;
  meterId: string;
  month: string;
  days: Record<string, string>;
  /** The batch the last fold added ('' for rows from before batches): its rows may not be marked folded yet (crash). */
  lastFold: string[];
  version: number;
}

const schema = docSchema<UsageMonthDoc>({
  subscriptionId: required(String, { index: true }),
  meterId: required(String),
  month: required(String),
  days: { type: Object, default: {} },
  lastFold: { type: [String], default: [] },
  version: required(Number),
});

export const usageMonthModel = (conn: Connection): Model<UsageMonthDoc> => modelOn<UsageMonthDoc>(conn, 'UsageMonth', schema, 'usage_months');

/**
 * A batch's rows of one group not yet in its total, written before the rows: a reader looks for
 * unfolded rows only where one of these is (a query on the rows scans their whole collection).
 */
export interface UsagePendingDoc {
  _id: string; // `${usageGroupKey}|${batch}`
  subscriptionId: string;
  meterId: string;
  month: string;
  batch: string;
  receivedAt: Date;
}

const pendingSchema = docSchema<UsagePendingDoc>({
  subscriptionId: required(String, { index: true }),
  meterId: required(String),
  month: required(String),
  batch: required(String),
  receivedAt: required(Date),
});

export const usagePendingModel = (conn: Connection): Model<UsagePendingDoc> => modelOn<UsagePendingDoc>(conn, 'UsagePending', pendingSchema, 'usage_pending');
