import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What follows one piece of work across gateway → subgraph → job → event consumer. */
export interface RequestContext {
  requestId: string;
  /** The GraphQL operation's metric label, once known (operation-label.ts). */
  operation?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const REQUEST_ID_HEADER = 'x-request-id';

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

export function runWithRequestId<T>(requestId: string | undefined, fn: () => T): T {
  return storage.run({ requestId: sanitizeRequestId(requestId) ?? randomUUID() }, fn);
}

/** Accept a caller's id only if it looks like an id, so logs cannot be forged with junk. */
function sanitizeRequestId(id: string | undefined): string | undefined {
  return id && /^[A-Za-z0-9._:-]{1,128}$/.test(id) ? id : undefined;
}
