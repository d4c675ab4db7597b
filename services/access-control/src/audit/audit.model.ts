import { docSchema, modelOn, required } from '@csp/kernel';
import { Schema, type Connection, type Model } from 'mongoose';

/** Who changed access, what, when: every grant, revoke, approval and termination. */
export interface AuditDoc {
  _id: string;
  at: Date;
  /** A user id, or "system" for changes driven by events (provisioning seed). */
  actorId: string;
  actorKind: string;
  action: string;
  targetId: string;
  /** Customer the change concerns, so partners can later be shown their customers' records. */
  customerId?: string;
  details: Record<string, unknown>;
}

const schema = docSchema<AuditDoc>({
  at: required(Date),
  actorId: required(String),
  actorKind: String,
  action: required(String),
  targetId: required(String),
  customerId: String,
  details: Schema.Types.Mixed,
}, { minimize: false });
schema.index({ targetId: 1 });
schema.index({ customerId: 1 });

export const auditModel = (conn: Connection): Model<AuditDoc> => modelOn<AuditDoc>(conn, 'AuditRecord', schema, 'audit_records');
