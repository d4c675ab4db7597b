import { z } from 'zod';

/** Catalog's own settings on top of the runtime's. */
export const catalogEnv = {
  /** `off` starts with an empty catalog (no markets, offers or rate cards). */
  CATALOG_SEED: z.enum(['on', 'off'], { errorMap: () => ({ message: 'must be "on" or "off"' }) }).default('on'),
};
