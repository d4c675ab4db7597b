import { projectionFields, docSchema, modelOn } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

/** A customer tenant and who sold it (customer.created). */
export interface CustomerDoc {
  _id: string;
  partnerId: string;
  distributorId?: string;
}

const schema = docSchema<CustomerDoc>({ partnerId: String, distributorId: String, ...projectionFields });

export const customerModel = (conn: Connection): Model<CustomerDoc> => modelOn<CustomerDoc>(conn, 'Customer', schema, 'customers');
