import type { NextFunction, Request, Response } from 'express';
import type { TokenVerifier } from '@csp/kernel/edge';

export const SESSION_COOKIE = 'csp_admin';

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.header('cookie') ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/**
 * The job dashboard is for the operator only: a signed-in session (the access token in an
 * HttpOnly cookie set by /admin/login) or a bearer token. Anyone else gets 401.
 */
export function requireOperatorSession(verify: TokenVerifier) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const token = cookie(req, SESSION_COOKIE);
    const authorization = req.header('authorization') ?? (token ? `Bearer ${token}` : undefined);
    const caller = await verify(authorization).catch(() => null);
    if (caller?.kind === 'OPERATOR') return next();
    res
      .status(401)
      .type('html')
      .send(`<!doctype html><title>Sign in</title><p>The job dashboard is for the vendor operator. <a href="/admin/login">Sign in</a>.</p>`);
  };
}

export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(token)}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}
