import { docSchema, modelOn, required } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

/** Within a GDAP relationship: one of the partner's security groups and the roles it gets. */
export interface AdminAccessDoc {
  _id: string;
  relationshipId: string;
  groupId: string;
  roles: string[];
  /** Copied from the relationship so decisions find candidates in one query. */
  customerId: string;
  partnerId: string;
  assignedBy: string;
  createdAt: Date;
  updatedAt: Date;
}

const schema = docSchema<AdminAccessDoc>({
  relationshipId: required(String),
  groupId: required(String),
  roles: required([String]),
  customerId: required(String),
  partnerId: required(String),
  assignedBy: String,
  createdAt: Date,
  updatedAt: Date,
});
// One mapping per group within a relationship; assigning again replaces its roles.
schema.index({ relationshipId: 1, groupId: 1 }, { unique: true });
schema.index({ groupId: 1, customerId: 1 });

export const adminAccessModel = (conn: Connection): Model<AdminAccessDoc> => modelOn<AdminAccessDoc>(conn, 'AdminAccess', schema, 'admin_access');
