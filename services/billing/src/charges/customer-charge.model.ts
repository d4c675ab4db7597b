import { outboxField, type Envelope, docSchema, modelOn, required } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

/**
 * A one-off charge a partner puts on its customer (consulting hours, a hardware item). Written
 * once; the invoice that bills it follows from the runs (charges/charge-run.ts), so it is never
 * updated. (partnerId, idempotencyKey) is unique: the claim.
 */
export interface CustomerChargeDoc {
  _id: string;
  partnerId: string;
  customerId: string;
  description: string;
  /** Exact decimal string in `currency`, rounded to its minor unit. */
  amount: string;
  currency: string;
  idempotencyKey: string;
  /** sha256 of the normalized input: the same key with another body is a CONFLICT. */
  inputHash: string;
  createdBy: string;
  createdAt: Date;
  outbox: Envelope[];
}

const schema = docSchema<CustomerChargeDoc>({
  partnerId: required(String),
  customerId: required(String, { index: true }),
  description: required(String),
  amount: required(String),
  currency: required(String),
  idempotencyKey: required(String),
  inputHash: required(String),
  createdBy: String,
  createdAt: required(Date, { index: true }),
  outbox: outboxField(),
});
schema.index({ partnerId: 1, idempotencyKey: 1 }, { unique: true });

export const customerChargeModel = (conn: Connection): Model<CustomerChargeDoc> => modelOn<CustomerChargeDoc>(conn, 'CustomerCharge', schema, 'customer_charges');
