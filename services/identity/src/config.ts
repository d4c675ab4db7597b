// The kernel's config module alone: runProcess checks these before the app (and the kernel) load.
import { authEnv, msVar, wholeNumberVar, type ProcessSpec } from '@csp/kernel/runtime/config';
import { z } from 'zod';

const DAY_MS = 24 * 3600 * 1000;

/** Identity's own settings on top of the runtime's (validated with them at start). */
export const identityEnv = {
  /** Identity serves the JWKS itself: unset, its own address (app.ts). */
  JWKS_URL: authEnv.JWKS_URL.optional(),
  OPERATOR_EMAIL: z.string().email('must be an email address').default('operator@vendor.example'),
  OPERATOR_PASSWORD: z.string().min(10, 'must have at least 10 characters').default('operator-password-change-me'),
  ACCESS_TOKEN_TTL_SECONDS: wholeNumberVar(3600, 60, 24 * 3600, 'a number of seconds'),
  RELATIONSHIP_REQUEST_TTL_DAYS: wholeNumberVar(7, 1, 90, 'a number of days'),
  /** Webhooks: first retry after this long, doubling each time (tests make it small). */
  WEBHOOK_BACKOFF_MS: msVar(30_000, 1, 3_600_000),
  /** Webhooks: a delivery still failing this long after its first attempt is FAILED. */
  WEBHOOK_MAX_AGE_MS: msVar(DAY_MS, 1000, 30 * DAY_MS),
};

export const identityProcess = { name: 'identity', defaultPort: 4001, defaultDb: 'csp_identity', settings: identityEnv } satisfies ProcessSpec;
