import { projectionFields, docSchema, modelOn } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

/** Which customer a subscription belongs to: its scope is derived from that. */
export interface SubscriptionDoc {
  _id: string;
  customerId: string;
  partnerId: string;
  resellerId?: string;
  status: 'CREATED' | 'ACTIVE' | 'CANCELLED';
  at?: Date;
}

const schema = docSchema<SubscriptionDoc>({ customerId: String, partnerId: String, resellerId: String, status: String, ...projectionFields });

/** Whether `partnerId` sells the subscription: its partner of record or its reseller. */
export const sells = (facts: Pick<SubscriptionDoc, 'partnerId' | 'resellerId'>, partnerId: string | undefined) =>
  !!partnerId && (facts.partnerId === partnerId || facts.resellerId === partnerId);

export const subscriptionModel = (conn: Connection): Model<SubscriptionDoc> => modelOn<SubscriptionDoc>(conn, 'Subscription', schema, 'subscriptions');
