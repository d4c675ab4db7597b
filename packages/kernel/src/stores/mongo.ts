import mongoose, { type Connection } from 'mongoose';
import { outboxFlagPlugin } from '../events/outbox-signal';
import { auditAttachPlugin } from '../ops/audit-attach';
import { storeDuration } from '../runtime/metrics';
import { currentRequest } from '../runtime/request-context';
import { pushdownPlugin } from './pushdown';

export interface MongoStore {
  connection: Connection;
  /** Store round trips so far (commands sent) by the whole process, background work included. */
  commandCount(): number;
  /**
   * Records the commands ("find:customers") that serving the HTTP request with this
   * `x-request-id` sends, and nothing else the process does meanwhile (relay polls, consumers,
   * jobs): tests and benchmarks prove batching with it on a busy machine.
   */
  trackRequest(requestId: string): { commands(): string[]; stop(): void };
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens the service's own database. MONGO_URL names the server; each service picks its
 * database name, so no service can read another's collections by accident.
 */
export async function connectMongo(url: string, dbName: string): Promise<MongoStore> {
  const connection = mongoose.createConnection(url, {
    dbName,
    monitorCommands: true,
    serverSelectionTimeoutMS: 5_000,
    // FerretDB v1 has no sessions/transactions; retryable writes would need them.
    retryWrites: false,
    autoIndex: true,
  });
  // Every model with an embedded outbox gets the indexed hasOutbox flag and wakes the relay.
  connection.plugin(outboxFlagPlugin);
  // A mutation's audit record travels in the outbox of its first write with events (no lost record).
  connection.plugin(auditAttachPlugin);
  // One-value `$in` becomes equality and `$and` flat: the forms FerretDB's PostgreSQL backend pushes down.
  connection.plugin(pushdownPlugin);
  let count = 0;
  const tracked = new Map<string, string[]>();
  const started = new Map<number, { t: bigint; collection: string; op: string }>();
  const client = connection.getClient();
  client.on('commandStarted', (e) => {
    if (e.commandName === 'hello' || e.commandName === 'isMaster' || e.commandName === 'ping') return;
    count++;
    const collection = typeof e.command[e.commandName] === 'string' ? e.command[e.commandName] : '-';
    if (tracked.size) {
      const ctx = currentRequest();
      if (ctx?.source === 'http') tracked.get(ctx.requestId)?.push(`${e.commandName}:${collection}`);
    }
    started.set(e.requestId, { t: process.hrtime.bigint(), collection, op: e.commandName });
  });
  const done = (e: { requestId: number }) => {
    const s = started.get(e.requestId);
    if (!s) return;
    started.delete(e.requestId);
    storeDuration.observe({ collection: s.collection, op: s.op }, Number(process.hrtime.bigint() - s.t) / 1e9);
  };
  client.on('commandSucceeded', done);
  client.on('commandFailed', done);
  await connection.asPromise();
  return {
    connection,
    commandCount: () => count,
    trackRequest(requestId) {
      const commands: string[] = [];
      tracked.set(requestId, commands);
      return { commands: () => [...commands], stop: () => void tracked.delete(requestId) };
    },
    ping: async () => {
      await connection.db!.admin().ping();
    },
    close: () => connection.close(),
  };
}

/** True for a duplicate-key error: the loser of a unique-index claim. */
export function isDuplicateKey(err: unknown): boolean {
  const e = err as { code?: number; writeErrors?: Array<{ code?: number }> } | null;
  return e?.code === 11000 || !!e?.writeErrors?.some((w) => w.code === 11000);
}

/**
 * When every failure of an unordered insertMany was a duplicate key: how many, and their positions
 * among the documents sent when the store names them all. Undefined for any other failure (rethrow it).
 */
export function duplicatesOf(err: unknown): { count: number; indexes?: Set<number> } | undefined {
  const raw = (err as { writeErrors?: WriteError[] | WriteError } | null)?.writeErrors;
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  if (!list.length || list.some((w) => w.code !== 11000)) return undefined;
  return { count: list.length, indexes: list.every((w) => typeof w.index === 'number') ? new Set(list.map((w) => w.index!)) : undefined };
}
type WriteError = { code?: number; index?: number };
