import type { SubscriptionFacts } from '@csp/events';
import { docSchema, modelOn } from '@csp/kernel';
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
  subscriptionId: { type: String, required: true, index: true },
  type: { type: String, required: true },
  at: { type: Date, required: true },
  customerId: { type: String, required: true, index: true },
  partnerId: { type: String, required: true, index: true },
  resellerId: { type: String, index: true },
  offerId: String,
  billingType: { type: String, required: true },
  quantity: Number,
  market: String,
});

export const subFactModel = (conn: Connection): Model<SubFactDoc> => modelOn<SubFactDoc>(conn, 'SubFact', schema, 'subscription_facts');
