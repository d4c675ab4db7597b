import type { Handler } from '@csp/kernel';
import type { Model } from 'mongoose';
import { auditLogHandler } from './audit-log';
import type { AuditLogDoc } from './audit-log.model';

/** Events identity consumes for platform operations: every service's audit records. */
export function opsHandlers(auditLog: Model<AuditLogDoc>) {
  return { 'audit.recorded': auditLogHandler(auditLog) as Handler };
}
