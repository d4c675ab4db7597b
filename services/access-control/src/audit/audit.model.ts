import { AUDIT_CARRIER, docSchema, modelOn, outboxField, required, type Envelope } from '@csp/kernel';
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
  /** The graph-wide record of the mutation that made this change rides here (kernel audit-attach). */
  outbox?: Envelope[];
}

const schema = docSchema<AuditDoc>({
  at: required(Date),
  actorId: required(String),
  actorKind: String,
  action: required(String),
  targetId: required(String),
  customerId: String,
  details: Schema.Types.Mixed,
  outbox: outboxField(),
}, { minimize: false });
// Every access change is written here, event or not: the mutation's graph-wide audit record goes
// out with it, so a process that dies before answering loses neither.
schema.set(AUDIT_CARRIER as never, true as never);
schema.index({ targetId: 1 });
schema.index({ customerId: 1 });

export const auditModel = (conn: Connection): Model<AuditDoc> => modelOn<AuditDoc>(conn, 'AuditRecord', schema, 'audit_records');
