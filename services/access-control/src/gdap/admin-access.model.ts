import { docSchema, modelOn } from '@csp/kernel';
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
  relationshipId: { type: String, required: true },
  groupId: { type: String, required: true },
  roles: { type: [String], required: true },
  customerId: { type: String, required: true },
  partnerId: { type: String, required: true },
  assignedBy: String,
  createdAt: Date,
  updatedAt: Date,
});
// One mapping per group within a relationship; assigning again replaces its roles.
schema.index({ relationshipId: 1, groupId: 1 }, { unique: true });
schema.index({ groupId: 1, customerId: 1 });

export const adminAccessModel = (conn: Connection): Model<AdminAccessDoc> => modelOn<AdminAccessDoc>(conn, 'AdminAccess', schema, 'admin_access');
