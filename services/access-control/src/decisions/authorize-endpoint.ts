import express, { type Express } from 'express';
import { AppError, type TokenVerifier } from '@csp/kernel';
import { tryParseScope } from '../scopes/scope';
import type { DecisionCache } from './decision-cache';

export const AUTHORIZE_PATH = '/internal/authorize';

/**
 * The fast path subscription and billing ask (via @csp/access-client): the caller's bearer
 * token is verified here again, never taken from a header on trust; the answer comes from the
 * same decision function and cache as checkAccess.
 */
export function mountAuthorizeEndpoint(app: Express, verify: TokenVerifier, decisions: DecisionCache): void {
  app.post(AUTHORIZE_PATH, express.json({ limit: '16kb' }), async (req, res) => {
    let caller;
    try {
      caller = await verify(req.header('authorization'));
    } catch (err) {
      const message = err instanceof AppError ? err.message : 'The access token is not valid.';
      res.status(401).json({ allowed: false, reason: message, code: 'UNAUTHENTICATED' });
      return;
    }
    if (!caller) {
      res.status(401).json({ allowed: false, reason: 'Sign in first: this operation needs a valid bearer token.', code: 'UNAUTHENTICATED' });
      return;
    }
    const { scope, action } = (req.body ?? {}) as { scope?: unknown; action?: unknown };
    const parsed = typeof scope === 'string' ? tryParseScope(scope) : undefined;
    if (!parsed || typeof action !== 'string' || !action || action.length > 100) {
      res.status(400).json({ allowed: false, reason: 'Body must be { scope, action } with a scope path such as /customers/{c}/subscriptions/{s}.', code: 'BAD_USER_INPUT' });
      return;
    }
    try {
      const d = await decisions.decide(caller, { scope: parsed, action });
      res.json({ allowed: d.allowed, reason: d.reason });
    } catch {
      res.status(503).json({ allowed: false, reason: 'Access decisions are unavailable right now.', code: 'SERVICE_UNAVAILABLE' });
    }
  });
}
