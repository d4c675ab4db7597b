import { docSchema, modelOn, required } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

/**
 * One published exchange rate of a month: 1 `base` = `rate` `currency`. Publishing the month
 * again replaces its rates; invoices keep the rate they were issued with.
 */
export interface FxRateDoc {
  _id: string; // `${month}|${base}|${currency}`
  month: string;
  base: string;
  currency: string;
  rate: string;
  publishedAt: Date;
}

const schema = docSchema<FxRateDoc>({ month: required(String, { index: true }), base: String, currency: String, rate: String, publishedAt: Date });

export const fxRateModel = (conn: Connection): Model<FxRateDoc> => modelOn<FxRateDoc>(conn, 'FxRate', schema, 'fx_rates');
