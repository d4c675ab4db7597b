import type { Handler, Runtime } from '@csp/kernel';
import { auditLogHandler } from './audit-log';
import { auditLogModel } from './audit-log.model';

/** Events identity consumes for platform operations: every service's audit records. */
export function opsHandlers(rt: Runtime) {
  return { 'audit.recorded': auditLogHandler(auditLogModel(rt.mongo.connection)) as Handler };
}
