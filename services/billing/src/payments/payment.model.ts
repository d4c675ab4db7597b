import { docSchema, modelOn, required } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

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

const schema = docSchema<PaymentDoc>({ invoiceId: required(String, { index: true }), amount: String, currency: String, receivedOn: String, recordedBy: String, recordedAt: Date });

export const paymentModel = (conn: Connection): Model<PaymentDoc> => modelOn<PaymentDoc>(conn, 'Payment', schema, 'payments');

/** Payment terms of one agreement (issuer → bill-to): net days from issue. Absent: net 30. */
export interface PaymentTermsDoc {
  _id: string; // `${issuerId}|${billToId}`
  netDays: number;
  setAt: Date;
}

const termsSchema = docSchema<PaymentTermsDoc>({ netDays: Number, setAt: Date });

export const paymentTermsModel = (conn: Connection): Model<PaymentTermsDoc> => modelOn<PaymentTermsDoc>(conn, 'PaymentTerms', termsSchema, 'payment_terms');

export const DEFAULT_NET_DAYS = 30;
export const termsId = (issuerId: string, billToId: string) => `${issuerId}|${billToId}`;
