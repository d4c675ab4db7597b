import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/** The nonce this response's inline scripts carry (CSP `script-src 'nonce-…'`). */
export const cspNonce = (res: Response): string => res.locals.cspNonce as string;

/**
 * Security headers (helmet) with a strict Content-Security-Policy on every response of the
 * gateway, so every HTML page it serves — explorer, job dashboard, sign-in, any later one — has
 * them without asking. Scripts run only from this origin or with the response's nonce; styles
 * allow inline because GraphiQL and Bull Board set style attributes; nothing may frame a page.
 */
export function securityHeaders(): RequestHandler[] {
  const nonce: RequestHandler = (_req: Request, res: Response, next: NextFunction) => {
    res.locals.cspNonce = randomBytes(16).toString('base64');
    next();
  };
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'", (_req, res) => `'nonce-${cspNonce(res as Response)}'`],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'worker-src': ["'self'", 'blob:'],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
  });
  return [nonce, headers];
}

/**
 * Gives each `<script>` tag of a page the response's nonce: tags that open a line only, since
 * bundled scripts hold "<script>" inside their strings.
 */
export const withNonce = (html: string, res: Response) => html.replace(/^(\s*)<script(?=[\s>])/gm, `$1<script nonce="${cspNonce(res)}"`);
