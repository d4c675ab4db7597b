import { AsyncLocalStorage } from 'node:async_hooks';
import type { Caller } from '../auth/caller';
import type { Envelope } from '../events/envelope';
import type { Clock } from '../runtime/clock';

/**
 * Who is doing what while one mutation field resolves: the audit record it will leave. The
 * first write of the field that adds outbox entries carries the record's `audit.recorded`
 * envelope (audit-attach.ts), so the record cannot be lost between that write and the response.
 */
export interface AuditScope {
  /** The record's id, also its envelope's: however it travels, it is one record. */
  id: string;
  service: string;
  /** The mutation field (the action is `<service>.<field>`). */
  field: string;
  caller: Caller;
  requestId?: string;
  args: Record<string, unknown>;
  clock: Clock;
  /** Named by the service where the arguments do not name it (auditTarget). */
  target?: { id: string; customerId?: string };
  /** Built by the first write that tried to carry it; reused by any later one (same id). */
  envelope?: Envelope;
  /** A write that carried the envelope succeeded: nothing is left to write after the response. */
  attached: boolean;
  /** The field has resolved: writes after this belong to background work it started. */
  closed: boolean;
}

const storage = new AsyncLocalStorage<AuditScope>();
/** The scopes of one request's fields, by response key, for the after-response plugin. */
const byRequest = new WeakMap<object, Map<string, AuditScope>>();

/** Runs one mutation field's resolver inside its scope; the scope closes when it settles. */
export async function inAuditScope<T>(requestKey: object, responseKey: string, scope: AuditScope, fn: () => T | Promise<T>): Promise<T> {
  const scopes = byRequest.get(requestKey) ?? new Map<string, AuditScope>();
  byRequest.set(requestKey, scopes);
  scopes.set(responseKey, scope);
  try {
    return await storage.run(scope, fn);
  } finally {
    scope.closed = true;
  }
}

/** The open scope of the mutation field being resolved, if any. */
export function currentAuditScope(): AuditScope | undefined {
  const s = storage.getStore();
  return s && !s.closed ? s : undefined;
}

export function auditScopesOf(requestKey: object): ReadonlyMap<string, AuditScope> | undefined {
  return byRequest.get(requestKey);
}

/**
 * Names what the current mutation changes, where its arguments do not (an id the service makes
 * itself) or to add its customer. Call it before the writes: from then on only the target's own
 * write with events carries the record.
 */
export function auditTarget(id: string, customerId?: string): void {
  const s = currentAuditScope();
  if (s) s.target = { id, ...(customerId ? { customerId } : {}) };
}
