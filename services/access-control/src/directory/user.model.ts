import { projectionFields } from '@csp/kernel';
import { Schema, type Connection, type Model } from 'mongoose';

/** A partner or customer user, as identity last announced it (user.rolesChanged). */
export interface DirectoryUserDoc {
  _id: string;
  kind?: 'PARTNER_USER' | 'CUSTOMER_USER';
  partnerId?: string;
  customerId?: string;
  roles?: string[];
  at?: Date;
}

const schema = new Schema<DirectoryUserDoc>(
  { _id: String, kind: String, partnerId: String, customerId: String, roles: { type: [String], default: undefined }, ...projectionFields },
  { versionKey: false },
);

export const directoryUserModel = (conn: Connection): Model<DirectoryUserDoc> =>
  (conn.models.DirectoryUser as Model<DirectoryUserDoc>) ?? conn.model<DirectoryUserDoc>('DirectoryUser', schema, 'users');
