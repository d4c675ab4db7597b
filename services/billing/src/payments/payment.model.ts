import { Schema, type Connection, type Model } from 'mongoose';

/**
 * A payment the issuer recorded against an invoice. Insert-only; `_id` = `${invoiceId}|${key}`
 * makes the idempotency key unique per invoice even between two processes.
 */
export interface PaymentDoc {
  _id: string;
  invoiceId: string;
  amount: string;
  currency: string;
  receivedOn: string;
  recordedBy: string;
  recordedAt: Date;
}

const schema = new Schema<PaymentDoc>(
  { _id: String, invoiceId: { type: String, required: true, index: true }, amount: String, currency: String, receivedOn: String, recordedBy: String, recordedAt: Date },
  { versionKey: false },
);

export const paymentModel = (conn: Connection): Model<PaymentDoc> =>
  (conn.models.Payment as Model<PaymentDoc>) ?? conn.model<PaymentDoc>('Payment', schema, 'payments');

/** Payment terms of one agreement (issuer → bill-to): net days from issue. Absent: net 30. */
export interface PaymentTermsDoc {
  _id: string; // `${issuerId}|${billToId}`
  netDays: number;
  setAt: Date;
}

const termsSchema = new Schema<PaymentTermsDoc>({ _id: String, netDays: Number, setAt: Date }, { versionKey: false });

export const paymentTermsModel = (conn: Connection): Model<PaymentTermsDoc> =>
  (conn.models.PaymentTerms as Model<PaymentTermsDoc>) ?? conn.model<PaymentTermsDoc>('PaymentTerms', termsSchema, 'payment_terms');

export const DEFAULT_NET_DAYS = 30;
export const termsId = (issuerId: string, billToId: string) => `${issuerId}|${billToId}`;
