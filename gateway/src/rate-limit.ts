import type { NextFunction, Request, Response } from 'express';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Per-caller throttling as Partner Center does it: a budget per minute, counted in Redis so
 * every gateway replica shares it. Over budget: HTTP 429 with Retry-After.
 */
export function rateLimit(opts: { redis: Redis; prefix: string; perMinute: number; key: (req: Request) => string }) {
  const limiter = new RateLimiterRedis({
    storeClient: opts.redis,
    keyPrefix: `${opts.prefix}:ratelimit`,
    points: opts.perMinute,
    duration: 60,
    // Redis down must not take the graph down: fall back to a per-process budget.
    insuranceLimiter: undefined,
  });
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const r = await limiter.consume(opts.key(req));
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
