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
  const redis = new Redis(url, { ...opts, lazyConnect: false, ...extra });
  // ioredis reconnects by itself; connection errors surface through /ready and failed commands.
  redis.on('error', () => undefined);
  return redis;
}

export async function pingRedis(redis: Redis): Promise<void> {
  const pong = await redis.ping();
  if (pong !== 'PONG') throw new Error(`unexpected PING reply ${pong}`);
}

/** Quit politely when connected; a client still retrying is cut off instead of waiting forever. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    await redis.quit().catch(() => redis.disconnect());
  } else {
    redis.disconnect();
  }
}
