import express, { type Express, type Request, type Response } from 'express';
import { AppError, AWAIT_HEADER, type Caller, type TokenVerifier } from '@csp/kernel';
import { tryParseScope } from '../scopes/scope';
import type { DecisionCache } from './decision-cache';
import type { DecisionRequest } from './decision-engine';

export const AUTHORIZE_PATH = '/internal/authorize';
export const AUTHORIZE_MANY_PATH = '/internal/authorize-many';
const MAX_BATCH = 100;

/**
 * The fast path subscription and billing ask (via @csp/access-client): the caller's bearer
 * token is verified here again, never taken from a header on trust; the answer comes from the
 * same decision function and cache as checkAccess. Not routed through the gateway.
 */
export function mountAuthorizeEndpoint(
  app: Express,
  verify: TokenVerifier,
  decisions: DecisionCache,
  awaitWrites: (header: string | undefined) => Promise<void>,
): void {
  const json = express.json({ limit: '64kb' });
  // Read-your-writes: the asking service passes on what its caller just wrote (x-csp-await).
  app.use([AUTHORIZE_PATH, AUTHORIZE_MANY_PATH], async (req, _res, next) => {
    await awaitWrites(req.header(AWAIT_HEADER)).catch(() => undefined);
    next();
  });

  app.post(AUTHORIZE_PATH, json, async (req, res) => {
    const caller = await authenticate(req, res, verify);
    if (!caller) return;
    const request = parseRequest(req.body);
    if (!request) return badRequest(res);
    await answer(res, async () => {
      const d = await decisions.decide(caller, request);
      return { allowed: d.allowed, reason: d.reason };
    });
  });

  app.post(AUTHORIZE_MANY_PATH, json, async (req, res) => {
    const caller = await authenticate(req, res, verify);
    if (!caller) return;
    const raw = (req.body as { requests?: unknown })?.requests;
    const requests = Array.isArray(raw) && raw.length <= MAX_BATCH ? raw.map(parseRequest) : undefined;
    if (!requests || requests.some((r) => !r)) return badRequest(res, `Body must be { requests: [{ scope, action }] } with at most ${MAX_BATCH} items.`);
    await answer(res, async () => {
      const ds = await decisions.decideMany(caller, requests as DecisionRequest[]);
      return { answers: ds.map((d) => ({ allowed: d.allowed, reason: d.reason })) };
    });
  });
}

async function authenticate(req: Request, res: Response, verify: TokenVerifier): Promise<Caller | undefined> {
  try {
    const caller = await verify(req.header('authorization'));
    if (caller) return caller;
    res.status(401).json({ allowed: false, reason: 'Sign in first: this operation needs a valid bearer token.', code: 'UNAUTHENTICATED' });
  } catch (err) {
    const message = err instanceof AppError ? err.message : 'The access token is not valid.';
    res.status(401).json({ allowed: false, reason: message, code: 'UNAUTHENTICATED' });
  }
  return undefined;
}

function parseRequest(body: unknown): DecisionRequest | undefined {
  const { scope, action } = (body ?? {}) as { scope?: unknown; action?: unknown };
  const parsed = typeof scope === 'string' ? tryParseScope(scope) : undefined;
  if (!parsed || typeof action !== 'string' || !action || action.length > 100) return undefined;
  return { scope: parsed, action };
}

function badRequest(res: Response, reason = 'Body must be { scope, action } with a scope path such as /customers/{c}/subscriptions/{s}.'): void {
  res.status(400).json({ allowed: false, reason, code: 'BAD_USER_INPUT' });
}

async function answer(res: Response, fn: () => Promise<object>): Promise<void> {
  try {
    res.json(await fn());
  } catch {
    // Fail closed: the client treats this as "access-control unavailable", never as allowed.
    res.status(503).json({ allowed: false, reason: 'Access decisions are unavailable right now.', code: 'SERVICE_UNAVAILABLE' });
  }
}
