import { z } from 'zod';

/** Support's own settings, on top of the runtime's. */
export const supportEnv = {
  /** How often each replica looks for tickets past a target (also on every test-clock jump). */
  SUPPORT_SLA_POLL_MS: z.coerce.number().int().min(100).default(15_000),
  /** How the vendor appears as the handler of partner-to-vendor tickets. */
  SUPPORT_VENDOR_NAME: z.string().min(1).default('Cloud Vendor'),
};
