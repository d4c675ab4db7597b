import {
  AppError,
  currentRequestId,
  INTERNAL_PROOF_HEADER,
  REQUEST_ID_HEADER,
  signInternal,
  staffAllows,
  staffRefusal,
  USAGE_STREAM_PATH,
  USAGE_STREAM_PUBLIC_PATH,
  type Caller,
} from '@csp/kernel/edge';
import type { Express, Request, RequestHandler, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { Agent, request } from 'undici';

/** One batch's store write may take this long under load before billing's answer moves on. */
const BATCH_TIMEOUT_MS = 120_000;

/**
 * POST /usage/records: bulk usage as NDJSON or CSV, streamed through to billing. The gateway
 * verifies the token and the staff-role table (operator, or a client with usage:write) before a
 * byte goes on, then streams the body to billing's internal endpoint with the proof it sends every
 * subgraph, and billing's NDJSON answer back as it comes — neither side holds the body, and
 * billing's pauses (a batch being stored) slow the client down through both sockets.
 */
export function mountUsageStream(
  app: Express,
  opts: { billingUrl: () => string | undefined; internalSecret: string; callerOf: (req: Request) => Promise<Caller | null>; limit: RequestHandler },
): { close(): Promise<void> } {
  // Its own pool: a stream holds its socket for minutes, which must not starve GraphQL fetches.
  const agent = new Agent({ connections: 16, keepAliveTimeout: 30_000, headersTimeout: BATCH_TIMEOUT_MS, bodyTimeout: BATCH_TIMEOUT_MS });
  app.post(USAGE_STREAM_PUBLIC_PATH, opts.limit, async (req, res) => {
    let caller: Caller | null;
    try {
      caller = await opts.callerOf(req);
    } catch (err) {
      return fail(res, 401, 'UNAUTHENTICATED', err instanceof AppError ? err.message : 'The access token is not valid.');
    }
    if (!caller) return fail(res, 401, 'UNAUTHENTICATED', 'Sign in first: recording usage needs a bearer token (the operator, or a client with scope usage:write).');
    if (!staffAllows(caller, 'recordUsage')) return fail(res, 403, 'FORBIDDEN', staffRefusal(caller, 'recordUsage'));
    const authorization = req.header('authorization');
    const headers: Record<string, string> = {
      authorization: authorization!,
      [INTERNAL_PROOF_HEADER]: signInternal(opts.internalSecret, authorization),
      [REQUEST_ID_HEADER]: currentRequestId() ?? 'none',
      'content-type': req.header('content-type') ?? 'application/x-ndjson',
    };
    try {
      const billing = opts.billingUrl();
      if (!billing) throw new Error('this supergraph has no billing subgraph');
      const upstream = await request(new URL(USAGE_STREAM_PATH, billing), { method: 'POST', headers, body: req, dispatcher: agent });
      res.status(upstream.statusCode);
      const type = upstream.headers['content-type'];
      if (type) res.setHeader('content-type', type);
      await pipeline(upstream.body, res);
    } catch {
      if (!res.headersSent) return fail(res, 503, 'SERVICE_UNAVAILABLE', 'The billing service did not take the usage stream; nothing after its last "stored" answer was kept. Try again (repeats count as duplicates).');
      res.destroy();
    }
  });
  return { close: () => agent.close() };
}

function fail(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}
