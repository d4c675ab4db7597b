import type { Connection, Model } from 'mongoose';
import { outboxField, type Envelope, docSchema, modelOn, required } from '@csp/kernel';

/** PENDING_FULFILMENT: a MANUAL partner offer waiting for its partner to fulfil it. */
export type SubscriptionStatus = 'PROVISIONING' | 'PENDING_FULFILMENT' | 'ACTIVE' | 'SUSPENDED' | 'CANCELLED' | 'FAILED';
export type ServiceStatus = 'STOPPED' | 'RUNNING';

export interface HistoryEntry {
  at: Date;
  status: SubscriptionStatus;
  /** User id, or `system:provisioning` for the worker. */
  actor: string;
  reason?: string;
}

export interface ServiceEntry {
  name: string;
  meterId: string;
  status: ServiceStatus;
  createdAt: Date;
}

export interface SubscriptionDoc {
  _id: string;
  orderId: string;
  customerId: string;
  /** Billing partner of record: the direct provider, or the distributor of a reseller's sale. */
  partnerId: string;
  /** The indirect reseller that sold it, when there is one. */
  resellerId?: string;
  offerId: string;
  /** PARTNER: a partner's own offer (offerId is the partner offer); never goes to the vendor's cloud. */
  billingType: 'USAGE' | 'LICENSE' | 'PARTNER';
  /** Partner offers: how they are charged and fulfilled. */
  partnerChargeType?: 'MONTHLY' | 'ONE_TIME';
  fulfilment?: 'MANUAL' | 'AUTOMATIC';
  /** An add-on's base subscription (of the vendor offer it attaches to): it ends with it. */
  attachedToSubscriptionId?: string;
  minQuantity: number;
  maxQuantity: number;
  market: string;
  /** The partner of record's admin-agents group: made OWNER when the subscription is active. */
  adminAgentsGroupId: string;
  quantity: number;
  friendlyName?: string | null;
  status: SubscriptionStatus;
  createdAt: Date;
  updatedAt: Date;
  history: HistoryEntry[];
  services: ServiceEntry[];
  /** Last known outcome of provisioning, for when the job itself has been cleaned up. */
  provisionedAttempts?: number;
  failedReason?: string;
  outbox: Envelope[];
}

const schema = docSchema<SubscriptionDoc>({
  orderId: required(String),
  customerId: required(String, { index: true }),
  partnerId: required(String, { index: true }),
  resellerId: { type: String, index: true },
  offerId: required(String),
  billingType: required(String),
  partnerChargeType: String,
  fulfilment: String,
  attachedToSubscriptionId: { type: String, index: true },
  minQuantity: Number,
  maxQuantity: Number,
  market: String,
  adminAgentsGroupId: String,
  quantity: required(Number),
  friendlyName: String,
  status: required(String),
  createdAt: required(Date),
  updatedAt: required(Date),
  history: [{ _id: false, at: Date, status: String, actor: String, reason: String }],
  services: [{ _id: false, name: String, meterId: String, status: String, createdAt: Date }],
  provisionedAttempts: Number,
  failedReason: String,
  outbox: outboxField(),
});

export const SUBSCRIPTIONS = 'subscriptions';

export const subscriptionModel = (conn: Connection): Model<SubscriptionDoc> => modelOn<SubscriptionDoc>(conn, 'CloudSubscription', schema, SUBSCRIPTIONS);
