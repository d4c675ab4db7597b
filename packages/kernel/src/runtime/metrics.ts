import client from 'prom-client';

/** One registry per process; default metrics include memory, GC and event-loop lag. */
export const registry = new client.Registry();
let defaultsOn = false;

export function enableDefaultMetrics(service: string): void {
  if (defaultsOn) return;
  defaultsOn = true;
  registry.setDefaultLabels({ service });
  client.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
}

function metric<T>(name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

export const httpDuration = metric(
  'http_request_duration_seconds',
  () =>
    new client.Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route, GraphQL operation (bounded; "" when not GraphQL) and status',
      labelNames: ['method', 'route', 'operation', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
);

export const graphqlDuration = metric(
  'graphql_operation_duration_seconds',
  () =>
    new client.Histogram({
      name: 'graphql_operation_duration_seconds',
      help: 'GraphQL operation latency by operation name and outcome',
      labelNames: ['operation', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
);

export const storeDuration = metric(
  'store_operation_duration_seconds',
  () =>
    new client.Histogram({
      name: 'store_operation_duration_seconds',
      help: 'MongoDB operation latency by collection and operation',
      labelNames: ['collection', 'op'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
);

export const jobDuration = metric(
  'job_duration_seconds',
  () =>
    new client.Histogram({
      name: 'job_duration_seconds',
      help: 'Background job processing time by queue and outcome',
      labelNames: ['queue', 'name', 'outcome'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60],
      registers: [registry],
    }),
);

/**
 * Webhook deliveries by outcome (delivered, failed), counted by whichever process delivers
 * them; defined here so the WebhookEndpointsFailing alert and its sender agree on one name.
 */
export const webhookDeliveries = metric(
  'webhook_deliveries_total',
  () =>
    new client.Counter({
      name: 'webhook_deliveries_total',
      help: 'Webhook delivery attempts by outcome (delivered, failed)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
);

export { client as promClient };
