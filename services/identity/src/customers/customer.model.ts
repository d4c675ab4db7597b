import type { IdentityEvents } from '@csp/events';
import type { Connection, Model } from 'mongoose';
import { outboxField, type Envelope, docSchema, modelOn, required, changesCache } from '@csp/kernel';
import { DIRECTORY } from '../visibility/directory';

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
  companyName: required(String),
  domain: required(String, { unique: true }),
  country: required(String),
  currency: required(String),
  taxId: String,
  partnerId: required(String),
  distributorId: String,
  status: required(String),
  createdAt: required(Date),
  outbox: outboxField(),
});

// Cached per process (visibility/directory.ts): every write drops the cached copy.
changesCache(schema, DIRECTORY);

export const customerModel = (conn: Connection): Model<CustomerDoc> => modelOn<CustomerDoc>(conn, 'Customer', schema, 'customers');
