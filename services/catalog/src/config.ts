// The kernel's config module alone: runProcess checks these before the app (and the kernel) load.
import { enumVar, type ProcessSpec } from '@csp/kernel/runtime/config';

/** Catalog's own settings on top of the runtime's (validated with them at start). */
export const catalogEnv = {
  /** `off` starts with an empty catalog (no markets, offers or rate cards). */
  CATALOG_SEED: enumVar(['on', 'off'], 'on'),
};

export const catalogProcess = { name: 'catalog', defaultPort: 4002, defaultDb: 'csp_catalog', settings: catalogEnv } satisfies ProcessSpec;
