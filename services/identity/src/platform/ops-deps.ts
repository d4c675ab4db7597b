import { QueueDirectory, type Runtime } from '@csp/kernel';
import { auditLogModel } from './audit-log.model';

/** What the operator's platform views need: every queue of the deployment, the graph-wide audit log. */
export function opsDeps(rt: Runtime) {
  const queues = new QueueDirectory(rt.redis, rt.config.REDIS_PREFIX);
  rt.shutdown.addFinal('queues', () => queues.close());
  return { queues, auditLog: auditLogModel(rt.mongo.connection) };
}

export type OpsDeps = ReturnType<typeof opsDeps>;
