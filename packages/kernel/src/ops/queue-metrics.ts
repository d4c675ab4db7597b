import type { Redis } from 'ioredis';
import client from 'prom-client';
import { registry } from '../runtime/metrics';
import { QueueDirectory } from './queue-discovery';

const STATES = ['waiting', 'active', 'completed', 'failed', 'delayed'] as const;

/**
 * Read from Redis at scrape time, for every queue (alert rules: infra/monitoring/alerts.yml):
 * - `bullmq_queue_jobs{queue,state}`; a job in `failed` has used all its attempts (parked);
 * - `bullmq_queue_oldest_waiting_seconds{queue}`: how long the oldest waiting job has waited
 *   (a consumer falling behind);
 * - `redis_maxmemory_policy{policy}` = 1: queues need `noeviction`, any other policy can drop jobs.
 */
export function enableQueueMetrics(redis: Redis, redisPrefix: string): QueueDirectory {
  const directory = new QueueDirectory(redis, redisPrefix);
  if (!registry.getSingleMetric('bullmq_queue_jobs')) {
    new client.Gauge({
      name: 'bullmq_queue_jobs',
      help: 'Jobs per BullMQ queue and state (failed = attempts used up, parked until retried)',
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const q of await directory.all().catch(() => [])) {
          const counts = await q.getJobCounts(...STATES).catch(() => undefined);
          if (!counts) continue;
          for (const s of STATES) this.set({ queue: q.name, state: s }, counts[s] ?? 0);
        }
      },
    });
    new client.Gauge({
      name: 'bullmq_queue_oldest_waiting_seconds',
      help: 'Age of the oldest job waiting in each BullMQ queue (0 when none waits)',
      labelNames: ['queue'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const q of await directory.all().catch(() => [])) {
          const [oldest] = await q.getJobs(['wait'], 0, 0, true).catch(() => []);
          // BullMQ stamps jobs with the wall clock, so their age is measured against it too.
          this.set({ queue: q.name }, oldest ? Math.max(0, (wallClockMs() - oldest.timestamp) / 1000) : 0);
        }
      },
    });
    new client.Gauge({
      name: 'redis_maxmemory_policy',
      help: "The Redis server's maxmemory-policy (1 for the policy in force); queues need noeviction",
      labelNames: ['policy'],
      registers: [registry],
      async collect() {
        this.reset();
        const info = await redis.info('memory').catch(() => '');
        const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
        if (policy) this.set({ policy }, 1);
      },
    });
  }
  return directory;
}

const wallClockMs = () => Date.now();
