import { randomUUID } from 'node:crypto';
import { REQUEST_ID_HEADER, type MongoStore } from '@csp/kernel';

/**
 * The store commands ("find:customers") that one request sends to `store`, and only those: the
 * request carries an `x-request-id` of its own, which the gateway passes on to the subgraphs, and
 * the store counts what serving it does. Background work (outbox relays, consumers, other tests'
 * requests) never moves the figure, so a batching test holds on a busy machine.
 */
export async function storeCommandsOf<T>(
  store: MongoStore,
  send: (headers: Record<string, string>) => Promise<T>,
): Promise<{ result: T; commands: string[] }> {
  const requestId = `count-${randomUUID()}`;
  const tracking = store.trackRequest(requestId);
  try {
    const result = await send({ [REQUEST_ID_HEADER]: requestId });
    return { result, commands: tracking.commands() };
  } finally {
    tracking.stop();
  }
}
