import { QueueDirectory } from '@csp/kernel';
import type { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import { auditLogModel } from './audit-log.model';

/** What the operator's platform views need: every queue of the deployment, the graph-wide audit log. */
export function opsDeps(redis: Redis, prefix: string, conn: Connection) {
  return { queues: new QueueDirectory(redis, prefix), auditLog: auditLogModel(conn) };
}

export type OpsDeps = ReturnType<typeof opsDeps>;
