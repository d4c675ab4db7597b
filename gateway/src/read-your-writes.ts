import type { ApolloServerPlugin } from '@apollo/server';
import type { Redis } from 'ioredis';
import { MAX_AWAITED, redisKeys } from '@csp/kernel/edge';
import type { GatewayContext } from './context';

/**
 * The gateway's half of read-your-writes (the design is in packages/kernel's
 * read-your-writes.ts): the events each caller's requests wrote, kept in Redis so that every
 * gateway replica sends them on with that caller's next requests. A minute after a caller's last
 * write the list is gone; by then every read model has long applied it.
 */
export interface RecentWrites {
  of(subject: string): Promise<string[]>;
  add(subject: string, refs: string[]): Promise<void>;
}

const KEEP_MS = 60_000;

export function recentWrites(redis: Redis, prefix: string): RecentWrites {
  const key = redisKeys(prefix).recentWrites;
  return {
    async of(subject) {
      return redis.lrange(key(subject), 0, MAX_AWAITED - 1);
    },
    async add(subject, refs) {
      if (!refs.length) return;
      await redis
        .multi()
        .lpush(key(subject), ...refs)
        .ltrim(key(subject), 0, MAX_AWAITED - 1)
        .pexpire(key(subject), KEEP_MS)
        .exec();
    },
  };
}

/** Before the response leaves, records what this request wrote for the caller's next requests. */
export function recordWritesPlugin(writes: RecentWrites): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue: c }) {
          if (c.caller && c.ownWrites) await writes.add(c.caller.userId, c.writes.slice(-c.ownWrites));
        },
      };
    },
  };
}
