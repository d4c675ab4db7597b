import { docSchema, modelOn, required } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

/** A country's VAT rate from a day on (the latest `validFrom` on or before the tax day applies). */
export interface TaxRateDoc {
  _id: string; // `${country}|${validFrom}`
  country: string;
  ratePercent: string;
  validFrom: string;
  publishedAt: Date;
}

const schema = docSchema<TaxRateDoc>({ country: required(String, { index: true }), ratePercent: String, validFrom: String, publishedAt: Date });

export const taxRateModel = (conn: Connection): Model<TaxRateDoc> => modelOn<TaxRateDoc>(conn, 'TaxRate', schema, 'tax_rates');
