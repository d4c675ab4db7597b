import { projectionFields } from '@csp/kernel';
import { Schema, type Connection, type Model } from 'mongoose';

/** A customer tenant and who sold it (customer.created). */
export interface CustomerDoc {
  _id: string;
  partnerId: string;
  distributorId?: string;
}

const schema = new Schema<CustomerDoc>({ _id: String, partnerId: String, distributorId: String, ...projectionFields }, { versionKey: false });

export const customerModel = (conn: Connection): Model<CustomerDoc> =>
  (conn.models.Customer as Model<CustomerDoc>) ?? conn.model<CustomerDoc>('Customer', schema, 'customers');
