import type { Redis } from 'ioredis';
import client from 'prom-client';
import { registry } from '../runtime/metrics';
import { QueueDirectory } from './queue-discovery';

const STATES = ['waiting', 'active', 'completed', 'failed', 'delayed'] as const;

/** `bullmq_queue_jobs{queue,state}` read from Redis at scrape time, for every queue. */
export function enableQueueMetrics(redis: Redis, redisPrefix: string): QueueDirectory {
  const directory = new QueueDirectory(redis, redisPrefix);
  if (!registry.getSingleMetric('bullmq_queue_jobs')) {
    new client.Gauge({
      name: 'bullmq_queue_jobs',
      help: 'Jobs per BullMQ queue and state',
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
  }
  return directory;
}
