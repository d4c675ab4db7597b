import type { AuditRecordDoc } from '@csp/kernel';
import { Schema, type Connection, type Model } from 'mongoose';

/** The graph-wide audit log: every service's audit records, gathered from `audit.recorded`. */
export type AuditLogDoc = Omit<AuditRecordDoc, 'outbox'>;

const schema = new Schema<AuditLogDoc>(
  {
    _id: String,
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
  },
  { versionKey: false },
);

export const auditLogModel = (conn: Connection): Model<AuditLogDoc> =>
  (conn.models.AuditLog as Model<AuditLogDoc>) ?? conn.model<AuditLogDoc>('AuditLog', schema, 'audit_log');
