import { createAccessClient } from '@csp/access-client';
import { aggregateLocks, initModels, type Runtime } from '@csp/kernel';
import { timed } from './cloud/connector';
import { simCloudModel } from './cloud/sim-cloud.model';
import { SimulatedCloud, type SimBehaviour } from './cloud/simulated-cloud';
import { usageBatchModel } from './cloud/usage-batch.model';
import { CloudServiceService } from './cloud-services/service.service';
import type { accessControlEnv, simCloudEnv, subscriptionEnv } from './config';
import { orderModel } from './orders/order.model';
import { OrderService } from './orders/order.service';
import { provisioningQueue } from './provisioning/provisioning.queue';
import { offerNames } from './readmodel/offer-names';
import { readModels } from './readmodel/readmodel.models';
import { LifecycleService } from './subscriptions/lifecycle.service';
import { OwnerGrant } from './subscriptions/owner-grant';
import { SubscriptionAccess } from './subscriptions/subscription.access';
import { subscriptionModel } from './subscriptions/subscription.model';
import { SubscriptionStore } from './subscriptions/subscription.store';

export const simBehaviourFrom = (s: { SIM_CLOUD_LATENCY_MS: number; SIM_CLOUD_FAILURE_RATE: number; SIM_CLOUD_FAIL_FIRST: number; SIM_CLOUD_HANG_MS: number }): SimBehaviour => ({
  latencyMs: s.SIM_CLOUD_LATENCY_MS,
  failureRate: s.SIM_CLOUD_FAILURE_RATE,
  failFirst: s.SIM_CLOUD_FAIL_FIRST,
  hangMs: s.SIM_CLOUD_HANG_MS,
});

/** Stores, the cloud and access-control, shared by the subgraph and the provisioning worker. */
export async function buildCore(rt: Runtime<typeof simCloudEnv & typeof accessControlEnv>) {
  const settings = rt.settings;
  const conn = rt.mongo.connection;
  const prefix = rt.config.REDIS_PREFIX;
  const models = {
    subscriptions: subscriptionModel(conn),
    orders: orderModel(conn),
    clouds: simCloudModel(conn),
    usageBatches: usageBatchModel(conn),
  };
  const rm = readModels(conn);
  // Unique indexes carry the invariants: build them before taking traffic.
  await initModels(models, rm);
  const locks = aggregateLocks(rt.redis, prefix);
  const sim = new SimulatedCloud(models.clouds, rt.clock, locks, simBehaviourFrom(settings));
  const cloud = timed(sim, settings.CLOUD_TIMEOUT_MS);
  const store = new SubscriptionStore(models.subscriptions, locks, rt.clock);
  const lifecycle = new LifecycleService(store, cloud, rt.clock);
  const queue = provisioningQueue(rt.redis, prefix);
  // A function, so in-process tests can point it at access-control once that has a port.
  const accessControl = { url: settings.ACCESS_CONTROL_URL };
  const accessClient = createAccessClient({ url: () => accessControl.url, internalSecret: rt.config.INTERNAL_SECRET });
  const ownerGrant = new OwnerGrant(accessClient, rt.logger);
  const names = offerNames(rt.redis, rt.config.REDIS_PREFIX, conn, rm);
  return { clock: rt.clock, logger: rt.logger, models, rm, offerNames: names, sim, cloud, store, lifecycle, queue, accessControl, accessClient, ownerGrant };
}

/** Built once per process: what resolvers and domain code need, never the Runtime itself. */
export async function buildDeps(rt: Runtime<typeof subscriptionEnv>) {
  const settings = rt.settings;
  const core = await buildCore(rt);
  const orders = new OrderService(core.models.orders, core.models.subscriptions, core.rm, core.queue, rt.clock, {
    attempts: settings.PROVISIONING_ATTEMPTS,
    backoffMs: settings.PROVISIONING_BACKOFF_MS,
  });
  const services = new CloudServiceService(core.store, core.cloud, core.rm, rt.clock);
  return { ...core, settings, access: new SubscriptionAccess(core.accessClient), orders, services };
}

export type SubscriptionDeps = Awaited<ReturnType<typeof buildDeps>>;
