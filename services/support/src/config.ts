// The kernel's config module alone: runProcess checks these before the app (and the kernel) load.
import { msVar, textVar, type ProcessSpec } from '@csp/kernel/runtime/config';

/** Support's own settings, on top of the runtime's (validated with them at start). */
export const supportEnv = {
  /** How often each replica looks for tickets past a target (also on every test-clock jump). */
  SUPPORT_SLA_POLL_MS: msVar(15_000, 100, 3_600_000),
  /** How the vendor appears as the handler of partner-to-vendor tickets. */
  SUPPORT_VENDOR_NAME: textVar('Cloud Vendor'),
};

export const supportProcess = { name: 'support', defaultPort: 4006, defaultDb: 'csp_support', settings: supportEnv } satisfies ProcessSpec;
