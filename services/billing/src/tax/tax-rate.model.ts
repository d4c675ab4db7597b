import { Schema, type Connection, type Model } from 'mongoose';

/** A country's VAT rate from a day on (the latest `validFrom` on or before the tax day applies). */
export interface TaxRateDoc {
  _id: string; // `${country}|${validFrom}`
  country: string;
  ratePercent: string;
  validFrom: string;
  publishedAt: Date;
}

const schema = new Schema<TaxRateDoc>(
  { _id: String, country: { type: String, required: true, index: true }, ratePercent: String, validFrom: String, publishedAt: Date },
  { versionKey: false },
);

export const taxRateModel = (conn: Connection): Model<TaxRateDoc> =>
  (conn.models.TaxRate as Model<TaxRateDoc>) ?? conn.model<TaxRateDoc>('TaxRate', schema, 'tax_rates');
