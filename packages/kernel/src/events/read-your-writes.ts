import type { Model } from 'mongoose';
import type { Logger } from '../runtime/logger';
import { pollUntil } from '../runtime/poll-until';

/**
 * Read-your-writes across the graph. A subgraph answers a request that wrote events with
 * `x-csp-written: type:id,…`; the gateway keeps them for that caller for a short while and sends
 * them on every later request of the same caller as `x-csp-await`; a subgraph that consumes any
 * of those event types first waits (bounded) until its inbox holds them, so its read models
 * have applied what the client just did. The client does nothing special, and it holds across
 * replicas: the list lives in Redis at the gateway and the inbox in each service's store.
 */
export const WRITTEN_HEADER = 'x-csp-written';
export const AWAIT_HEADER = 'x-csp-await';

const REF = /^[A-Za-z][A-Za-z.]{0,63}:[A-Za-z0-9_-]{1,64}$/;
/** More than this in one header is not a client's recent writes: the rest is ignored. */
export const MAX_AWAITED = 200;

const REACTION = Symbol('csp.reaction');

/**
 * Marks a handler as a reaction: its effect is no read model of its service (a webhook delivery),
 * so no request waits for it. Without this, every partner's next call to identity waited for the
 * webhook fan-out of its last writes (3 s each under load).
 */
export function reaction<H extends (...args: never[]) => unknown>(handler: H): H {
  return Object.assign(handler, { [REACTION]: true });
}

/** The event types of a handler map that feed a read model: what a request may wait for. */
export function awaitableTypes(handlers: Record<string, unknown>, skip: ReadonlySet<string> = new Set()): Set<string> {
  return new Set(Object.entries(handlers).filter(([type, h]) => !skip.has(type) && !(h as { [REACTION]?: boolean })[REACTION]).map(([type]) => type));
}

export interface EventRef {
  type: string;
  id: string;
}

export function parseEventRefs(header: string | null | undefined): EventRef[] {
  if (!header) return [];
  return header
    .split(',')
    .slice(0, MAX_AWAITED)
    .map((s) => s.trim())
    .filter((s) => REF.test(s))
    .map((s) => {
      const at = s.indexOf(':');
      return { type: s.slice(0, at), id: s.slice(at + 1) };
    });
}

export interface InboxWaiterOptions {
  inbox: Model<{ _id: string }>;
  /** Event types this service's consumer handles: only those can be waited for. */
  handles: ReadonlySet<string>;
  logger: Logger;
  /** How long a request waits at most before it is answered anyway (and a warning logged). */
  timeoutMs?: number;
  /** First pause between looks at the inbox; doubles up to ten times that, so waiters add little load. */
  pollMs?: number;
}

/** Waits until this service's inbox holds the awaited events it consumes. */
export function inboxWaiter(opts: InboxWaiterOptions): (header: string | null | undefined) => Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 8_000;
  const pollMs = opts.pollMs ?? 25;
  // Applied ids, remembered so a caller's later requests cost nothing (bounded, oldest dropped).
  const applied = new Set<string>();
  const remember = (id: string) => {
    applied.add(id);
    if (applied.size > 20_000) applied.delete(applied.values().next().value as string);
  };
  return async (header) => {
    let pending = parseEventRefs(header)
      .filter((r) => opts.handles.has(r.type) && !applied.has(r.id))
      .map((r) => r.id);
    if (!pending.length) return;
    const started = performance.now();
    const { value: done } = await pollUntil(
      async () => {
        const found = await opts.inbox.find({ _id: { $in: pending } }, { _id: 1 }).lean<Array<{ _id: string }>>();
        for (const f of found) remember(f._id);
        pending = pending.filter((id) => !applied.has(id));
        return !pending.length;
      },
      { timeoutMs, pauseMs: pollMs, maxPauseMs: pollMs * 10 },
    );
    if (!done) opts.logger.warn({ pending: pending.length, waitedMs: Math.round(performance.now() - started) }, 'read-your-writes: events not applied in time; answering anyway');
  };
}
