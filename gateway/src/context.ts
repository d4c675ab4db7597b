import type { Caller } from '@csp/kernel';

export interface GatewayContext {
  caller: Caller | null;
  authorization?: string;
  requestId: string;
}
