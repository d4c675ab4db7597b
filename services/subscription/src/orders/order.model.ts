import { docSchema, modelOn, required } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

export interface OrderLineDoc {
  offerId: string;
  quantity: number;
  friendlyName?: string | null;
  /** Chosen when the order is claimed, so a retried order re-creates exactly these. */
  subscriptionId: string;
  /** An add-on line: the subscription (of the vendor offer it attaches to) it ends with. */
  attachedToSubscriptionId?: string;
}

export interface OrderDoc {
  _id: string;
  /** The ordering partner; (partnerId, idempotencyKey) is unique: the claim. */
  partnerId: string;
  idempotencyKey: string;
  /** sha256 of the normalized input: the same key with another body is a CONFLICT. */
  inputHash: string;
  customerId: string;
  placedBy: string;
  createdAt: Date;
  lineItems: OrderLineDoc[];
  /** Set once every subscription exists and every provisioning job is queued. */
  materialized: boolean;
}

const schema = docSchema<OrderDoc>({
  partnerId: required(String),
  idempotencyKey: required(String),
  inputHash: required(String),
  customerId: required(String, { index: true }),
  placedBy: String,
  createdAt: required(Date),
  lineItems: [{ _id: false, offerId: String, quantity: Number, friendlyName: String, subscriptionId: String, attachedToSubscriptionId: String }],
  materialized: { type: Boolean, default: false },
});
schema.index({ partnerId: 1, idempotencyKey: 1 }, { unique: true });

export const orderModel = (conn: Connection): Model<OrderDoc> => modelOn<OrderDoc>(conn, 'Order', schema, 'orders');
