import { enumVar } from '@csp/kernel';

/** Catalog's own settings on top of the runtime's (validated with them at start). */
export const catalogEnv = {
  /** `off` starts with an empty catalog (no markets, offers or rate cards). */
  CATALOG_SEED: enumVar(['on', 'off'], 'on'),
};
