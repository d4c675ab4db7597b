import type { Caller } from '@csp/kernel';

export interface GatewayContext {
  caller: Caller | null;
  authorization?: string;
  requestId: string;
  /** Who sent the request on the network (see client-address.ts). */
  clientAddress: string;
}
