import type { NextFunction, Request, Response } from 'express';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { redisKeys } from '@csp/kernel/edge';

/** A per-minute budget counted in Redis, so every gateway replica shares it. */
export const budget = (redis: Redis, keyPrefix: string, perMinute: number) =>
  new RateLimiterRedis({ storeClient: redis, keyPrefix, points: perMinute, duration: 60, insuranceLimiter: undefined });

/**
 * Per-caller throttling as Partner Center does it: a budget per minute, counted in Redis so
 * every gateway replica shares it. Over budget: HTTP 429 with Retry-After.
 */
export function rateLimit(opts: { redis: Redis; prefix: string; perMinute: number; key: (req: Request) => Promise<string> }) {
  const limiter = budget(opts.redis, redisKeys(opts.prefix).requestBudget, opts.perMinute);
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const r = await limiter.consume(await opts.key(req));
      res.setHeader('RateLimit-Remaining', String(r.remainingPoints));
      next();
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        const retryAfter = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
        res.setHeader('Retry-After', String(retryAfter));
        res.status(429).json({
          errors: [{ message: `Too many requests: retry after ${retryAfter} s.`, extensions: { code: 'TOO_MANY_REQUESTS' } }],
        });
        return;
      }
      next(); // store error: fail open rather than refuse every caller
    }
  };
}
