import { auditRecordFields, docSchema, modelOn, type AuditRecordDoc } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

/** The graph-wide audit log: every service's audit records, gathered from `audit.recorded`. */
export type AuditLogDoc = Omit<AuditRecordDoc, 'outbox'>;

const schema = docSchema<AuditLogDoc>(auditRecordFields);
// auditRecords filters a partner's or customer's view by these two.
schema.index({ actorPartnerId: 1 });
schema.index({ customerId: 1 });

export const auditLogModel = (conn: Connection): Model<AuditLogDoc> => modelOn<AuditLogDoc>(conn, 'AuditLog', schema, 'audit_log');
