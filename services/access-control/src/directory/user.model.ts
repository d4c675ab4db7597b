import { projectionFields, docSchema, modelOn } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

/** A partner or customer user, as identity last announced it (user.rolesChanged). */
export interface DirectoryUserDoc {
  _id: string;
  kind?: 'PARTNER_USER' | 'CUSTOMER_USER';
  partnerId?: string;
  customerId?: string;
  roles?: string[];
  at?: Date;
}

const schema = docSchema<DirectoryUserDoc>({ kind: String, partnerId: String, customerId: String, roles: { type: [String], default: undefined }, ...projectionFields });

export const directoryUserModel = (conn: Connection): Model<DirectoryUserDoc> => modelOn<DirectoryUserDoc>(conn, 'DirectoryUser', schema, 'users');
