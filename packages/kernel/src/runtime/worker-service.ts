import { enableQueueMetrics } from '../ops/queue-metrics';
import type { EnvShape } from './config';
import { createRuntime, type Runtime, type RuntimeOptions } from './service';

/** A part of a worker process that ends at shutdown: a BullMQ worker (close), a trigger or relay (stop). */
export type WorkerPart = { close(): Promise<void> } | { stop(): Promise<void> | void };

/** `S`: the service's own variables (its config.ts), validated at start with the runtime's. */
export interface WorkerServiceSpec<D, P extends Record<string, WorkerPart>, S extends EnvShape = {}> {
  runtime: RuntimeOptions<S>;
  /** Models, domain services: built once per process from the runtime. */
  deps: (rt: Runtime<S>) => Promise<D> | D;
  /** Starts the process's background work; each part is ended at shutdown, in this order. */
  start: (deps: D, rt: Runtime<S>) => Promise<P> | P;
}

export type RunningWorkerService<D, P> = P & { url: string; rt: Runtime; deps: D; stop(): Promise<void> };

/**
 * Starts one worker process (or an in-process instance in tests): the runtime (config checked,
 * stores, logs, tracing), job counts per queue and state on /metrics, the service's parts, then
 * the HTTP host (health, readiness, metrics). Every part ends at shutdown before the stores close.
 */
export async function startWorkerService<D, P extends Record<string, WorkerPart>, S extends EnvShape = {}>(spec: WorkerServiceSpec<D, P, S>): Promise<RunningWorkerService<D, P>> {
  const rt = await createRuntime(spec.runtime);
  // Job counts per queue and state on /metrics, for dashboards and alerts.
  const queueMetrics = enableQueueMetrics(rt.redis, rt.config.REDIS_PREFIX);
  rt.shutdown.addFinal('queue metrics', () => queueMetrics.close());
  let deps: D;
  let parts: P;
  try {
    deps = await spec.deps(rt);
    parts = await spec.start(deps, rt);
  } catch (err) {
    await rt.shutdown.run();
    throw err;
  }
  for (const [name, part] of Object.entries(parts)) rt.shutdown.add(name, async () => ('close' in part ? part.close() : part.stop()));
  const url = await rt.listen();
  return { ...parts, url, rt: rt as Runtime, deps, stop: () => rt.shutdown.run() };
}
