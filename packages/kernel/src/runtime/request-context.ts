import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What follows one piece of work across gateway → subgraph → job → event consumer. */
export interface RequestContext {
  requestId: string;
  /** The GraphQL operation's metric label, once known (operation-label.ts). */
  operation?: string;
  /** 'http' while serving the request itself; 'job' in the jobs and event consumers it caused. */
  source: 'http' | 'job';
  /** Events this HTTP request wrote ("type:id"): what its client's next requests must see applied. */
  written?: string[];
  /** The x-csp-await this request came with: internal calls it makes pass it on. */
  awaited?: string;
}

/** Read-your-writes header value for an internal call made while serving this request. */
export function awaitedForInternalCall(): string | undefined {
  const ctx = storage.getStore();
  const all = [...(ctx?.awaited ? [ctx.awaited] : []), ...(ctx?.written ?? [])];
  return all.length ? all.join(',') : undefined;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const REQUEST_ID_HEADER = 'x-request-id';

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}

/** The same as currentRequest (the name the tracing and metrics code uses). */
export const currentRequestContext = currentRequest;

export function runWithRequestId<T>(requestId: string | undefined, fn: () => T, source: RequestContext['source'] = 'job'): T {
  return storage.run({ requestId: sanitizeRequestId(requestId) ?? randomUUID(), source }, fn);
}

/** Accept a caller's id only if it looks like an id, so logs cannot be forged with junk. */
function sanitizeRequestId(id: string | undefined): string | undefined {
  return id && /^[A-Za-z0-9._:-]{1,128}$/.test(id) ? id : undefined;
}
