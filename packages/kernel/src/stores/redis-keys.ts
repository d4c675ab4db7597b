/**
 * Every Redis key of a deployment is named here and nowhere else, as BullMQ's queue-keys.ts does
 * for a queue: `<REDIS_PREFIX>:<namespace>:…`. Each namespace has one owner (the kernel, the
 * gateway, or one service), so a key found in Redis says who wrote it, and two owners never
 * collide. `gateway/test/e2e.test.ts` fails when a process writes a key outside these namespaces.
 */
export const REDIS_NAMESPACES = {
  clock: 'kernel: the test clock offset and its change channel',
  lock: 'kernel: short aggregate locks (withLock)',
  outbox: 'kernel: outbox wake-ups (pub/sub)',
  bull: 'kernel: BullMQ queues (events, jobs)',
  'audit-denied': 'kernel: refused-attempt audit counters',
  rw: 'gateway: each caller\'s recent writes (read-your-writes)',
  ratelimit: 'gateway: request and sign-in budgets',
  gateway: 'gateway: page and CSRF secrets shared by its replicas',
  'access-control': 'access-control: the decision version and owner-grant wake-ups (pub/sub)',
  billing: 'billing: invoice and credit-note sequences, invoice and settlement locks',
  cache: 'billing: the catalog cache',
  'login-failures': 'identity: failed sign-ins per (subject, address)',
  'login-wait': 'identity: the wait before the next sign-in try',
} as const;

export type RedisNamespace = keyof typeof REDIS_NAMESPACES;

const key = (prefix: string, ns: RedisNamespace, ...parts: string[]) => [prefix, ns, ...parts].join(':');

/** The keys of one deployment (its REDIS_PREFIX). */
export function redisKeys(prefix: string) {
  return {
    clockOffset: key(prefix, 'clock', 'offset-ms'),
    clockChanged: key(prefix, 'clock', 'changed'),
    lock: (collection: string, id: string) => key(prefix, 'lock', collection, id),
    /**
     * A read-model document's lock: its database named too, because read models share collection
     * names with other services' aggregates (access-control's `subscriptions` and subscription's):
     * without it one service's projection waited for another's aggregate writes.
     */
    readModelLock: (db: string, collection: string, id: string) => key(prefix, 'lock', 'read-model', db, collection, id),
    outbox: (db: string) => key(prefix, 'outbox', db),
    bull: key(prefix, 'bull'),
    auditDenied: (service: string, actorId: string) => key(prefix, 'audit-denied', service, actorId),
    recentWrites: (subject: string) => key(prefix, 'rw', subject),
    requestBudget: key(prefix, 'ratelimit'),
    signInBudget: key(prefix, 'ratelimit', 'sign-in'),
    pageSecret: key(prefix, 'gateway', 'page-secret'),
    csrfSecret: key(prefix, 'gateway', 'csrf-secret'),
    decisionVersion: key(prefix, 'access-control', 'decision-version'),
    ownerGrantSeeded: key(prefix, 'access-control', 'owner-grant-seeded'),
    invoiceSeq: (issuerId: string, period: string) => key(prefix, 'billing', 'invoice-seq', issuerId, period),
    creditNoteSeq: (issuerId: string, period: string) => key(prefix, 'billing', 'credit-note-seq', issuerId, period),
    invoiceLock: (invoiceId: string) => key(prefix, 'billing', 'lock', 'invoice', invoiceId),
    settleLock: (invoiceId: string) => key(prefix, 'billing', 'lock', 'settle', invoiceId),
    cacheVersion: (db: string, what: string) => key(prefix, 'cache', db, what),
    loginFailures: (hash: string) => key(prefix, 'login-failures', hash),
    loginWait: (hash: string) => key(prefix, 'login-wait', hash),
  };
}

/** The namespace of a key of this deployment, or undefined when it is not one of ours. */
export function namespaceOf(prefix: string, k: string): RedisNamespace | undefined {
  if (!k.startsWith(`${prefix}:`)) return undefined;
  const ns = k.slice(prefix.length + 1).split(':')[0];
  return Object.hasOwn(REDIS_NAMESPACES, ns) ? (ns as RedisNamespace) : undefined;
}
