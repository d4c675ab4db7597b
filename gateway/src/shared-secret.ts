import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A random secret every gateway replica shares: the first to start writes it (SET NX), all read it. */
export async function sharedSecret(redis: Redis, key: string): Promise<string> {
  await redis.set(key, randomBytes(32).toString('base64url'), 'NX');
  const secret = await redis.get(key);
  if (!secret) throw new Error(`shared secret ${key} could not be read from Redis`);
  return secret;
}
