import { z } from 'zod';

/** Identity's own settings on top of the runtime's. */
export const identityEnv = {
  OPERATOR_EMAIL: z.string().email('must be an email address').default('operator@vendor.example'),
  OPERATOR_PASSWORD: z.string().min(10, 'must have at least 10 characters').default('operator-password-change-me'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(24 * 3600).default(3600),
  RELATIONSHIP_REQUEST_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  /** Webhooks: first retry after this long, doubling each time (tests make it small). */
  WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(1).max(3_600_000).default(30_000),
  /** Webhooks: a delivery still failing this long after its first attempt is FAILED. */
  WEBHOOK_MAX_AGE_MS: z.coerce.number().int().min(1000).default(24 * 3600 * 1000),
};
