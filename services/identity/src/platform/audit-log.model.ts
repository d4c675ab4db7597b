import { docSchema, modelOn, type AuditRecordDoc } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

/** The graph-wide audit log: every service's audit records, gathered from `audit.recorded`. */
export type AuditLogDoc = Omit<AuditRecordDoc, 'outbox'>;

const schema = docSchema<AuditLogDoc>({
  at: { type: Date, required: true, index: true },
  service: String,
  action: String,
  actorId: String,
  actorKind: String,
  actorPartnerId: { type: String, index: true },
  actorCustomerId: String,
  targetId: { type: String, index: true },
  customerId: { type: String, index: true },
  requestId: String,
  outcome: String,
  reason: String,
});

export const auditLogModel = (conn: Connection): Model<AuditLogDoc> => modelOn<AuditLogDoc>(conn, 'AuditLog', schema, 'audit_log');
