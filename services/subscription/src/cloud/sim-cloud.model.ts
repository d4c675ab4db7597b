import { docSchema, modelOn, required } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

/** One service as the simulated cloud runs it; `runs` are the intervals it was RUNNING. */
export interface SimServiceDoc {
  name: string;
  meterId: string;
  status: 'STOPPED' | 'RUNNING' | 'DELETED';
  runs: Array<{ from: Date; to?: Date | null }>;
}

/** The simulated cloud's own state: one document per platform subscription (unique). */
export interface SimCloudSubscriptionDoc {
  _id: string;
  subscriptionId: string;
  customerId: string;
  offerId: string;
  quantity: number;
  status: 'ACTIVE' | 'SUSPENDED' | 'CANCELLED';
  createdAt: Date;
  services: SimServiceDoc[];
}

const schema = docSchema<SimCloudSubscriptionDoc>({
  subscriptionId: required(String, { unique: true }),
  customerId: String,
  offerId: String,
  quantity: Number,
  status: String,
  createdAt: Date,
  services: [{ _id: false, name: String, meterId: String, status: String, runs: [{ _id: false, from: Date, to: Date }] }],
});

export const SIM_CLOUD = 'sim_cloud_subscriptions';

export const simCloudModel = (conn: Connection): Model<SimCloudSubscriptionDoc> => modelOn<SimCloudSubscriptionDoc>(conn, 'SimCloudSubscription', schema, SIM_CLOUD);
