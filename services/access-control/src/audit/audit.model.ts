import { docSchema, modelOn } from '@csp/kernel';
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
  at: { type: Date, required: true },
  actorId: { type: String, required: true },
  actorKind: String,
  action: { type: String, required: true },
  targetId: { type: String, required: true },
  customerId: String,
  details: Schema.Types.Mixed,
}, { minimize: false });
schema.index({ targetId: 1 });
schema.index({ customerId: 1 });

export const auditModel = (conn: Connection): Model<AuditDoc> => modelOn<AuditDoc>(conn, 'AuditRecord', schema, 'audit_records');
