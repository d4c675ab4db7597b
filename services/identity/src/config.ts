import { msVar, wholeNumberVar } from '@csp/kernel';
import { z } from 'zod';

const DAY_MS = 24 * 3600 * 1000;

/** Identity's own settings on top of the runtime's (validated with them at start). */
export const identityEnv = {
  OPERATOR_EMAIL: z.string().email('must be an email address').default('operator@vendor.example'),
  OPERATOR_PASSWORD: z.string().min(10, 'must have at least 10 characters').default('operator-password-change-me'),
  ACCESS_TOKEN_TTL_SECONDS: wholeNumberVar(3600, 60, 24 * 3600, 'a number of seconds'),
  RELATIONSHIP_REQUEST_TTL_DAYS: wholeNumberVar(7, 1, 90, 'a number of days'),
  /** Webhooks: first retry after this long, doubling each time (tests make it small). */
  WEBHOOK_BACKOFF_MS: msVar(30_000, 1, 3_600_000),
  /** Webhooks: a delivery still failing this long after its first attempt is FAILED. */
  WEBHOOK_MAX_AGE_MS: msVar(DAY_MS, 1000, 30 * DAY_MS),
};
