import { projectionFields } from '@csp/kernel';
import { Schema, type Connection, type Model } from 'mongoose';

/** Which customer a subscription belongs to: its scope is derived from that. */
export interface SubscriptionDoc {
  _id: string;
  customerId: string;
  partnerId: string;
  resellerId?: string;
  status: 'CREATED' | 'ACTIVE' | 'CANCELLED';
  at?: Date;
}

const schema = new Schema<SubscriptionDoc>(
  { _id: String, customerId: String, partnerId: String, resellerId: String, status: String, ...projectionFields },
  { versionKey: false },
);

/** Whether `partnerId` sells the subscription: its partner of record or its reseller. */
export const sells = (facts: Pick<SubscriptionDoc, 'partnerId' | 'resellerId'>, partnerId: string | undefined) =>
  !!partnerId && (facts.partnerId === partnerId || facts.resellerId === partnerId);

export const subscriptionModel = (conn: Connection): Model<SubscriptionDoc> =>
  (conn.models.Subscription as Model<SubscriptionDoc>) ?? conn.model<SubscriptionDoc>('Subscription', schema, 'subscriptions');
