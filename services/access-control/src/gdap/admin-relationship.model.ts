import { docSchema, modelOn, required } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

export type StoredAdminStatus = 'APPROVAL_PENDING' | 'ACTIVE' | 'TERMINATED';
/** EXPIRED is never stored: an ACTIVE relationship is expired once the clock passes endsAt. */
export type AdminRelationshipStatus = StoredAdminStatus | 'EXPIRED';

/** A time-bound delegated admin relationship (GDAP) a partner holds with a customer. */
export interface AdminRelationshipDoc {
  _id: string;
  partnerId: string;
  customerId: string;
  /** ISO 8601, P1D to P2Y. */
  duration: string;
  roles: string[];
  status: StoredAdminStatus;
  requestedBy: string;
  createdAt: Date;
  approvedBy?: string;
  approvedAt?: Date;
  endsAt?: Date;
  terminatedBy?: string;
  terminatedAt?: Date;
}

const schema = docSchema<AdminRelationshipDoc>({
  partnerId: required(String, { index: true }),
  customerId: required(String, { index: true }),
  duration: required(String),
  roles: required([String]),
  status: required(String),
  requestedBy: String,
  createdAt: required(Date),
  approvedBy: String,
  approvedAt: Date,
  endsAt: Date,
  terminatedBy: String,
  terminatedAt: Date,
});

export const adminRelationshipModel = (conn: Connection): Model<AdminRelationshipDoc> => modelOn<AdminRelationshipDoc>(conn, 'AdminRelationship', schema, 'admin_relationships');

/** The status as of `now`: the expiry is decided at read and decision time, not by a job. */
export function effectiveStatus(doc: Pick<AdminRelationshipDoc, 'status' | 'endsAt'>, now: Date): AdminRelationshipStatus {
  if (doc.status === 'ACTIVE' && doc.endsAt && now.getTime() >= doc.endsAt.getTime()) return 'EXPIRED';
  return doc.status;
}
