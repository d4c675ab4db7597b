import type { IdentityEvents } from '@csp/events';
import type { Connection, Model } from 'mongoose';
import { outboxSchema, type Envelope, docSchema, modelOn } from '@csp/kernel';

/**
 * PENDING: the domain is claimed (unique index) while the first admin user and relationship
 * are created; ACTIVE once complete. Only ACTIVE customers are visible.
 */
export type CustomerStatus = 'PENDING' | 'ACTIVE';

/** A customer as stored: the tenant customer.created announces (its `customerId` is `_id`), and its state. */
export interface CustomerDoc extends Omit<IdentityEvents['customer.created'], 'customerId'> {
  _id: string;
  status: CustomerStatus;
  createdAt: Date;
  outbox: Envelope[];
}

const schema = docSchema<CustomerDoc>({
  companyName: { type: String, required: true },
  domain: { type: String, required: true, unique: true },
  country: { type: String, required: true },
  currency: { type: String, required: true },
  taxId: String,
  partnerId: { type: String, required: true },
  distributorId: String,
  status: { type: String, required: true },
  createdAt: { type: Date, required: true },
  outbox: { type: [outboxSchema], default: [] },
});

export const customerModel = (conn: Connection): Model<CustomerDoc> => modelOn<CustomerDoc>(conn, 'Customer', schema, 'customers');
