import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { bullPrefix, enableQueueMetrics, registry, type QueueDirectory } from '@csp/kernel';
import { isolatedEnv } from '@csp/testkit';

/** The gauges the alert rules read (infra/monitoring/alerts.yml), from a real Redis. */
const env = isolatedEnv('queue-metrics');
let redis: Redis;
let directory: QueueDirectory;
let queue: Queue;

beforeAll(async () => {
  redis = new Redis(env.REDIS_URL!);
  directory = enableQueueMetrics(redis, env.REDIS_PREFIX!);
  queue = new Queue('events-lagging', { connection: redis, prefix: bullPrefix(env.REDIS_PREFIX!) });
});
afterAll(async () => {
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  await directory.close();
  redis.disconnect();
});

it('reports how long the oldest waiting job of each queue has waited, and the failed (parked) count', async () => {
  await queue.add('order.placed', { id: 'a' }, { jobId: 'a', timestamp: 1_000 }); // enqueued long ago
  await queue.add('order.placed', { id: 'b' }, { jobId: 'b' });
  const text = await registry.metrics();
  const age = Number(/^bullmq_queue_oldest_waiting_seconds\{[^}]*queue="events-lagging"[^}]*\} (\S+)$/m.exec(text)?.[1]);
  expect(age).toBeGreaterThan(1_000_000_000); // the oldest job counts, not the newest
  expect(text).toMatch(/^bullmq_queue_jobs\{[^}]*queue="events-lagging",state="waiting"[^}]*\} 2$/m);
  expect(text).toMatch(/^bullmq_queue_jobs\{[^}]*queue="events-lagging",state="failed"[^}]*\} 0$/m);
});

it("reports the Redis server's maxmemory-policy", async () => {
  const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as string[];
  const text = await registry.metrics();
  expect(text).toMatch(new RegExp(`^redis_maxmemory_policy\\{[^}]*policy="${policy}"[^}]*\\} 1$`, 'm'));
});
