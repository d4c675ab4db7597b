/** Platform events every subgraph publishes (the kernel writes them). */
export interface OpsEvents {
  /** One successful mutation: who, what, when, target (kernel ops/audit.ts). */
  'audit.recorded': {
    _id: string;
    at: string;
    service: string;
    action: string;
    actorId: string;
    actorKind: string;
    actorPartnerId?: string;
    actorCustomerId?: string;
    targetId?: string;
    customerId?: string;
    requestId?: string;
  };
}
