import type { GraphQLSchema } from 'graphql';
import type { Model } from 'mongoose';
import type { Worker } from 'bullmq';
import { assertHandlesRoutes, startConsumer, type Handler } from '../events/consumer';
import { OutboxRelay, type Router } from '../events/relay';
import type { BaseContext } from '../graph/context';
import type { TokenVerifier } from '../auth/tokens';
import { mountSubgraph, writtenEventsPlugin } from '../graph/subgraph';
import { inboxModel } from '../events/consumer';
import { awaitableTypes, inboxWaiter } from '../events/read-your-writes';
import { requireInternalProof } from '../auth/internal-proof';
import { AUDIT_EVENT, auditModel, auditMutations, auditPlugin } from '../ops/audit';
import type { EnvShape } from './config';
import { createRuntime, type Runtime, type RuntimeOptions } from './service';
import type { Sweeper } from './sweeper';

/** `S`: the service's own variables (its config.ts), validated at start with the runtime's. */
export interface SubgraphServiceSpec<C extends BaseContext, D, S extends EnvShape = {}> {
  runtime: RuntimeOptions<S>;
  /** Models, domain services: built once per process from the runtime (`rt.settings`: the service's own). */
  deps: (rt: Runtime<S>) => Promise<D> | D;
  schema: () => Promise<GraphQLSchema>;
  context: (base: BaseContext, deps: D, rt: Runtime) => C;
  /** Documents with an embedded outbox that the relay drains. */
  outboxModels?: (deps: D) => Model<any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Who consumes each event type this service writes (`route` of @csp/events), its audit records included. */
  route: Router;
  /** Events this service consumes; consumed in-process unless the service has a separate worker. */
  handlers?: (deps: D, rt: Runtime) => Record<string, Handler>;
  /** The event types routed to this service (`routedTo(name)` of @csp/events): each needs a handler. */
  consumes?: readonly string[];
  /** Replaces the JWKS-based token check (identity verifies with its own keys). */
  verify?: (rt: Runtime, deps: D) => TokenVerifier;
  /** Periodic background work of this process (kernel startSweeper): started with it, stopped at shutdown. */
  sweepers?: (deps: D, rt: Runtime) => Sweeper[];
  /** Extra HTTP routes (e.g. JWKS, internal endpoints) mounted before /graphql. */
  routes?: (rt: Runtime, deps: D, internal: { awaitWrites: (header: string | undefined) => Promise<void> }) => void;
}

export interface RunningSubgraph<D> {
  url: string;
  rt: Runtime;
  deps: D;
  relay: OutboxRelay;
  consumer?: Worker;
  sweepers: Sweeper[];
  stop(): Promise<void>;
}

/** Starts one subgraph process (or an in-process instance in tests). */
export async function startSubgraphService<C extends BaseContext, D, S extends EnvShape = {}>(spec: SubgraphServiceSpec<C, D, S>): Promise<RunningSubgraph<D>> {
  const rt = await createRuntime(spec.runtime);
  const deps = await spec.deps(rt);
  // Only the gateway and the platform's services reach /graphql and /internal (health, ready, metrics stay open).
  rt.app.use(['/graphql', '/internal'], requireInternalProof(rt.config.INTERNAL_SECRET));
  const audit = auditModel(rt.mongo.connection);
  const handlers = spec.handlers?.(deps, rt);
  try {
    assertHandlesRoutes(spec.runtime.name, spec.consumes ?? [], handlers ?? {});
  } catch (err) {
    await rt.shutdown.run();
    throw err;
  }
  // Audit records reach the graph-wide log on their own time, reactions (webhooks) likewise:
  // nobody's next request waits for them.
  const awaitable = awaitableTypes(handlers ?? {}, new Set([AUDIT_EVENT]));
  const awaitWrites = awaitable.size
    ? inboxWaiter({ inbox: inboxModel(rt.mongo.connection) as never, handles: awaitable, logger: rt.logger, timeoutMs: rt.config.READ_YOUR_WRITES_WAIT_MS })
    : async () => undefined;
  spec.routes?.(rt, deps, { awaitWrites });
  const schema = await spec.schema();
  auditMutations(schema, { service: spec.runtime.name, clock: rt.clock });
  const server = await mountSubgraph<C>({
    app: rt.app,
    schema,
    verify: spec.verify?.(rt, deps) ?? rt.verify,
    logger: rt.logger,
    production: rt.production,
    context: (base) => spec.context(base, deps, rt),
    plugins: [
      auditPlugin({ service: spec.runtime.name, model: audit, clock: rt.clock, logger: rt.logger, redis: rt.redis, prefix: rt.config.REDIS_PREFIX }),
      writtenEventsPlugin(new Set([AUDIT_EVENT])),
    ],
    awaitWrites,
  });
  // Every subgraph relays at least its audit records, to whoever the routes name for them.
  const relay = new OutboxRelay({
    redis: rt.redis,
    prefix: rt.config.REDIS_PREFIX,
    models: [...(spec.outboxModels?.(deps) ?? []), audit],
    route: spec.route,
    logger: rt.logger,
    sweepMs: rt.config.OUTBOX_SWEEP_MS,
  }).start();
  let consumer: Worker | undefined;
  if (handlers) {
    consumer = startConsumer({
      consumer: spec.runtime.name,
      redis: rt.workerRedis(),
      prefix: rt.config.REDIS_PREFIX,
      connection: rt.mongo.connection,
      handlers,
      routed: spec.consumes,
      logger: rt.logger,
    });
  }
  rt.shutdown.add('graphql', () => server.stop());
  // BullMQ's close waits for Redis; with Redis gone it would wait forever: stop waiting after 5 s.
  if (consumer) rt.shutdown.add('consumer', () => Promise.race([consumer!.close(), new Promise<void>((r) => setTimeout(r, 5_000).unref())]));
  rt.shutdown.add('relay', () => relay.stop());
  const sweepers = spec.sweepers?.(deps, rt) ?? [];
  rt.shutdown.add('sweepers', async () => sweepers.forEach((s) => s.stop()));
  const url = await rt.listen();
  return { url, rt, deps, relay, consumer, sweepers, stop: () => rt.shutdown.run() };
}
