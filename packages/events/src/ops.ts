import type { AuditRecordDoc } from '@csp/kernel';

/** Platform events every subgraph publishes (the kernel writes them). */
export interface OpsEvents {
  /** One successful mutation: who, what, when, target (kernel ops/audit.ts). */
  'audit.recorded': Omit<AuditRecordDoc, 'outbox' | 'at'> & { at: string };
}
