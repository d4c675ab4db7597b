import { msVar, type ProcessSpec } from '@csp/kernel/runtime/config';

/** Access-control's settings on top of the runtime's (validated with them at start). */
export const accessControlEnv = {
  /**
   * How long POST /internal/owner-grant waits for a subscription's OWNER grant to appear before
   * answering "not in force" (the provisioning worker then tries again later). Keep it under the
   * asking client's timeout (3 s).
   */
  OWNER_GRANT_WAIT_MS: msVar(1_000, 0, 60_000),
};

export const accessControlProcess = { name: 'access-control', defaultPort: 4004, defaultDb: 'csp_access_control', settings: accessControlEnv } satisfies ProcessSpec;
