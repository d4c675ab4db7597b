import { QueueDirectory, type Runtime } from '@csp/kernel';

/** Ops state kept per runtime (one per process; several in-process stacks in tests). */
const byRuntime = new WeakMap<Runtime, { queues: QueueDirectory }>();

export function opsOf(rt: Runtime): { queues: QueueDirectory } {
  let ops = byRuntime.get(rt);
  if (!ops) {
    ops = { queues: new QueueDirectory(rt.redis, rt.config.REDIS_PREFIX) };
    byRuntime.set(rt, ops);
    rt.shutdown.addFinal('queues', () => ops!.queues.close());
  }
  return ops;
}
