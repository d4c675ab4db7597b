// The kernel's config module alone: runProcess checks these before the app (and the kernel) load.
import { msVar, textVar, wholeNumberVar, type ProcessSpec } from '@csp/kernel/runtime/config';
import { isCountryCode } from '@csp/kernel/rules/codes';
import { z } from 'zod';

/** Billing's own settings (subgraph and worker), on top of the runtime's (validated with them at start). */
export const billingEnv = {
  BILLING_VENDOR_NAME: textVar('Cloud Vendor'),
  /** The vendor's country (ISO 3166-1 alpha-2): the seller's country of its invoices, for VAT. */
  BILLING_VENDOR_COUNTRY: z.string().refine(isCountryCode, 'must be an ISO 3166-1 alpha-2 country code such as IE').default('IE'),
  /** Bill-to jobs processed at once per worker process. */
  BILLING_WORKER_CONCURRENCY: wholeNumberVar(4, 1, 64),
  /** BullMQ job lock: a crashed worker's job is taken over after about this long. */
  BILLING_JOB_LOCK_MS: msVar(30_000, 1000, 3_600_000),
  /** Attempts per invoicing job (exponential backoff from 0.5 s) before the run is FAILED. */
  BILLING_JOB_ATTEMPTS: wholeNumberVar(8, 1, 50),
  /** Pause between writing an invoice's lines and issuing it; crash tests kill the worker there. Ignored in production. */
  BILLING_TEST_BILL_DELAY_MS: msVar(0, 0, 600_000),
  /**
   * A run's cutoff lies this far after its start, and it plans only once the cutoff has passed:
   * usage reported right at the month end (the last day's) still makes the month's invoice, and
   * ingestion batches in flight at the cutoff have landed.
   */
  BILLING_RUN_SETTLE_MS: msVar(5000, 0, 24 * 3_600_000),
  /** Rows of a usage stream (POST /usage/records) stored per ingestion batch: the most the stream holds in memory. */
  BILLING_USAGE_STREAM_BATCH: wholeNumberVar(10_000, 1, 10_000),
};

export const billingProcess = { name: 'billing', defaultPort: 4005, defaultDb: 'csp_billing', settings: billingEnv } satisfies ProcessSpec;
export const billingWorkerProcess = { name: 'billing-worker', defaultPort: 4015, defaultDb: 'csp_billing', settings: billingEnv } satisfies ProcessSpec;
