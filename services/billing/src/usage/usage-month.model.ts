import { docSchema, modelOn, required } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

/**
 * Running total of one subscription's usage of one meter in one month, per day (exact decimal
 * strings), of the rows one invoice run bills (`seg`): rating a day's total is rating its rows
 * (usage-months.ts). Written only by a fold, under the group's lock, as a new document per
 * version (the newest counts; the fold deletes the ones before): one insert for all the groups of
 * a batch, where updating each would be a write per group.
 */
export interface UsageMonthDoc {
  _id: string; // usageGroupKey(subscriptionId, meterId, month), `|${seg}` when seg is set, then `#${version}` (totals from before versions: none)
  subscriptionId: string;
  meterId: string;
  month: string;
  /**
   * '' for rows received before any run covering the month; else the cutoff (ISO) of the last
   * run covering it that started before they arrived: late rows, billed by the next run.
   */
  seg?: string;
  days: Record<string, string>;
  /** Earliest and latest receivedAt of its rows: a reader checks them against the run windows (absent: read the rows). */
  from?: Date;
  to?: Date;
  /** The batch the last fold added ('' for rows from before batches): its rows may not be marked folded yet (crash). */
  lastFold: string[];
  version: number;
}

const schema = docSchema<UsageMonthDoc>({
  subscriptionId: required(String, { index: true }),
  meterId: required(String),
  month: required(String),
  seg: String,
  days: { type: Object, default: {} },
  from: Date,
  to: Date,
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
