import type { SubscriptionFacts } from '@csp/events';
import { docSchema, modelOn, required } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

export type FactType = 'created' | 'activated' | 'quantityChanged' | 'suspended' | 'reactivated' | 'cancelled' | 'failed';

/**
 * One dated fact about a subscription, as the subscription service published it. Facts are
 * only inserted (keyed by event id), never updated: "status and quantity on day D" is a fold
 * over them, so events arriving out of order cannot leave a wrong snapshot behind.
 */
export interface SubFactDoc extends Omit<SubscriptionFacts, 'at'> {
  _id: string;
  type: FactType;
  at: Date;
}

const schema = docSchema<SubFactDoc>({
  subscriptionId: required(String, { index: true }),
  type: required(String),
  at: required(Date),
  customerId: required(String, { index: true }),
  partnerId: required(String, { index: true }),
  resellerId: { type: String, index: true },
  offerId: String,
  billingType: required(String),
  quantity: Number,
  market: String,
});

export const subFactModel = (conn: Connection): Model<SubFactDoc> => modelOn<SubFactDoc>(conn, 'SubFact', schema, 'subscription_facts');
