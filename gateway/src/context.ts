import type { Caller } from '@csp/kernel/edge';

export interface GatewayContext {
  caller: Caller | null;
  authorization?: string;
  requestId: string;
  /**
   * Read-your-writes: events this caller's recent requests wrote ("type:id"), sent to every
   * subgraph; the fetches of this request add theirs as they answer, so later fetches see them.
   */
  writes: string[];
  /** How many of `writes` this request added itself (recorded for the caller's next requests). */
  ownWrites: number;
  /** Who sent the request on the network (see client-address.ts). */
  clientAddress: string;
}
