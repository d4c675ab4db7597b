import { z } from 'zod';

/** Billing's own settings, on top of the runtime's. */
export const billingEnv = {
  BILLING_VENDOR_NAME: z.string().min(1).default('Cloud Vendor'),
  /** The vendor's country (ISO 3166-1 alpha-2): the seller's country of its invoices, for VAT. */
  BILLING_VENDOR_COUNTRY: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as IE').default('IE'),
  /** Bill-to jobs processed at once per worker process. */
  BILLING_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** BullMQ job lock: a crashed worker's job is taken over after about this long. */
  BILLING_JOB_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
  /** Attempts per invoicing job (exponential backoff from 0.5 s) before the run is FAILED. */
  BILLING_JOB_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /** Pause between writing an invoice's lines and issuing it; crash tests kill the worker there. Ignored in production. */
  BILLING_TEST_BILL_DELAY_MS: z.coerce.number().int().min(0).default(0),
  /**
   * A run's cutoff lies this far after its start, and it plans only once the cutoff has passed:
   * usage reported right at the month end (the last day's) still makes the month's invoice, and
   * ingestion batches in flight at the cutoff have landed.
   */
  BILLING_RUN_SETTLE_MS: z.coerce.number().int().min(0).default(5000),
};
