import type { ProcessSpec } from '@csp/kernel/dist/runtime/config';

/** Access-control reads only the runtime's variables. */
export const accessControlProcess = { name: 'access-control', defaultPort: 4004, defaultDb: 'csp_access_control', settings: {} } satisfies ProcessSpec;
