import type { Connection, Model } from 'mongoose';
import { outboxSchema, type Envelope, docSchema, modelOn } from '@csp/kernel';

/**
 * PENDING: the domain is claimed (unique index) while the first admin user and relationship
 * are created; ACTIVE once complete. Only ACTIVE customers are visible.
 */
export type CustomerStatus = 'PENDING' | 'ACTIVE';

export interface CustomerDoc {
  _id: string;
  companyName: string;
  /** Lower-cased; unique across the platform. */
  domain: string;
  country: string;
  /** Agreed with the selling partner; defaults to the partner's. */
  currency: string;
  /** Optional VAT number (validated for shape). */
  taxId?: string;
  /** The selling partner that created the tenant (direct provider or reseller). */
  partnerId: string;
  /** Set when a distributor created it on behalf of its reseller `partnerId`. */
  distributorId?: string;
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
