import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { bullPrefix } from '../events/queues';

/**
 * Every BullMQ queue of this deployment, found by its `meta` key: services add queues without
 * registering them anywhere, and the dashboard, the graph and the metrics still see them.
 */
export async function discoverQueues(redis: Redis, redisPrefix: string): Promise<string[]> {
  const prefix = `${bullPrefix(redisPrefix)}:`;
  const names = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*:meta`, 'COUNT', 500);
    cursor = next;
    for (const k of keys) names.add(k.slice(prefix.length, -':meta'.length));
  } while (cursor !== '0');
  return [...names].sort();
}

/** Queue handles, made once per name and reused (each holds a Redis connection). */
export class QueueDirectory {
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly redis: Redis, private readonly redisPrefix: string) {}

  names(): Promise<string[]> {
    return discoverQueues(this.redis, this.redisPrefix);
  }

  get(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.redis, prefix: bullPrefix(this.redisPrefix) });
      this.queues.set(name, q);
    }
    return q;
  }

  async all(): Promise<Queue[]> {
    return (await this.names()).map((n) => this.get(n));
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
