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

/** Seconds, for a request served (HTTP and the GraphQL operation within it). */
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

const histogram = <L extends string>(name: string, help: string, labelNames: L[], buckets: number[]) =>
  metric(name, () => new client.Histogram<L>({ name, help, labelNames, buckets, registers: [registry] }));

export const httpDuration = histogram(
  'http_request_duration_seconds',
  'HTTP request latency by route, GraphQL operation (bounded; "" when not GraphQL) and status',
  ['method', 'route', 'operation', 'status'],
  REQUEST_BUCKETS,
);

export const graphqlDuration = histogram(
  'graphql_operation_duration_seconds',
  'GraphQL operation latency by operation name and outcome',
  ['operation', 'outcome'],
  REQUEST_BUCKETS,
);

export const storeDuration = histogram(
  'store_operation_duration_seconds',
  'MongoDB operation latency by collection and operation',
  ['collection', 'op'],
  [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
);

export const jobDuration = histogram(
  'job_duration_seconds',
  'Background job processing time by queue and outcome',
  ['queue', 'name', 'outcome'],
  [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60],
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
