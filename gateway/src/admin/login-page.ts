import cookieParser from 'cookie-parser';
import { doubleCsrf } from 'csrf-csrf';
import express, { type Express, type Request, type Response } from 'express';
import Mustache from 'mustache';
import { PAGE_CLIENT_HEADER, PAGE_SECRET_HEADER } from '../client-address';
import { sessionCookie } from './operator-session';

// Mustache escapes every {{value}} by default: nothing a caller sends reaches the page as HTML.
const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>CSP Commerce Graph — operator sign-in</title>
<style>body{font-family:system-ui,sans-serif;max-width:24rem;margin:4rem auto}label{display:block;margin:.6rem 0}input{width:100%;padding:.4rem}p.err{color:#b00}</style></head>
<body><h1>Operator sign-in</h1>{{#message}}<p class="err" role="alert">{{message}}</p>{{/message}}
<form method="post" action="/admin/login">
<input type="hidden" name="_csrf" value="{{csrf}}">
<label>Email <input name="email" type="email" autocomplete="username" value="{{email}}" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button></form></body></html>`;
Mustache.parse(PAGE);

const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 320) : '');

/**
 * A plain form that signs in through the graph's own `login` and keeps the token in a cookie.
 * CSRF: csrf-csrf's double-submit token (an HttpOnly SameSite=Strict cookie and a hidden
 * field, HMAC'd with `csrfSecret`, which every gateway replica shares).
 */
export function mountLogin(app: Express, graphUrl: () => string, production: boolean, csrfSecret: string, pageSecret: string): void {
  const { generateCsrfToken, doubleCsrfProtection } = doubleCsrf({
    getSecret: () => csrfSecret,
    // Before sign-in there is no session to bind the token to: the cookie pair alone proves it.
    getSessionIdentifier: () => '',
    cookieName: production ? '__Host-csp_csrf' : 'csp_csrf',
    cookieOptions: { sameSite: 'strict', path: '/', secure: production, httpOnly: true },
    getCsrfTokenFromRequest: (req) => (req.body as { _csrf?: unknown } | undefined)?._csrf as string,
  });
  const render = (req: Request, res: Response, status: number, message = '', email = '') =>
    res.status(status).type('html').send(Mustache.render(PAGE, { message, email, csrf: generateCsrfToken(req, res, { overwrite: true }) }));

  app.use('/admin/login', cookieParser());
  app.get('/admin/login', (req, res) => render(req, res, 200));
  app.post(
    '/admin/login',
    express.urlencoded({ extended: false, limit: '4kb' }),
    (req, res, next) =>
      doubleCsrfProtection(req, res, (err?: unknown) => (err ? render(req, res, 403, 'The form expired or came from another site; please sign in again.') : next())),
    async (req, res) => {
      const body = req.body as { email?: unknown; password?: unknown };
      const email = text(body.email);
      const r = await fetch(graphUrl(), {
        method: 'POST',
        // The visitor's address, so its sign-ins count against its own budget, not the gateway's.
        headers: { 'content-type': 'application/json', [PAGE_CLIENT_HEADER]: req.ip ?? 'unknown', [PAGE_SECRET_HEADER]: pageSecret },
        body: JSON.stringify({
          query: 'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken expiresAt viewer { kind } } }',
          variables: { email, password: text(body.password) },
        }),
      }).then((x) => x.json() as Promise<{ data?: { login?: { accessToken: string; expiresAt: string; viewer: { kind: string } } }; errors?: Array<{ message: string }> }>);
      const login = r.data?.login;
      if (!login) return void render(req, res, 401, r.errors?.[0]?.message ?? 'Sign-in failed.', email);
      if (login.viewer.kind !== 'OPERATOR') return void render(req, res, 403, 'Only the vendor operator may open the job dashboard.', email);
      // The cookie may outlive the token; the dashboard then answers 401 and asks to sign in again.
      res.setHeader('Set-Cookie', sessionCookie(login.accessToken, 3600, production));
      res.redirect(303, '/admin/queues');
    },
  );
}
