import { Redis, type RedisOptions } from 'ioredis';

/**
 * Workers block on Redis and must ride out a restart: `maxRetriesPerRequest: null`.
 * Producers (HTTP paths) fail fast instead of hanging a request on a dead Redis.
 */
export function createRedis(url: string, role: 'worker' | 'producer', extra: RedisOptions = {}): Redis {
  const opts: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 1, connectTimeout: 5_000 };
  return new Redis(url, { ...opts, lazyConnect: false, ...extra });
}

export async function pingRedis(redis: Redis): Promise<void> {
  const pong = await redis.ping();
  if (pong !== 'PONG') throw new Error(`unexpected PING reply ${pong}`);
}
