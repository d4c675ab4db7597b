import express, { type Express } from 'express';
import { sessionCookie } from './operator-session';

const page = (message = '') => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>CSP Commerce Graph — operator sign-in</title>
<style>body{font-family:system-ui,sans-serif;max-width:24rem;margin:4rem auto}label{display:block;margin:.6rem 0}input{width:100%;padding:.4rem}p.err{color:#b00}</style></head>
<body><h1>Operator sign-in</h1>${message ? `<p class="err" role="alert">${message}</p>` : ''}
<form method="post" action="/admin/login">
<label>Email <input name="email" type="email" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button></form></body></html>`;

/** A plain form that signs in through the graph's own `login` and keeps the token in a cookie. */
export function mountLogin(app: Express, graphUrl: () => string, production: boolean): void {
  app.get('/admin/login', (_req, res) => res.type('html').send(page()));
  app.post('/admin/login', express.urlencoded({ extended: false, limit: '4kb' }), async (req, res) => {
    const { email, password } = req.body as { email?: string; password?: string };
    const r = await fetch(graphUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken expiresAt viewer { kind } } }',
        variables: { email: email ?? '', password: password ?? '' },
      }),
    }).then((x) => x.json() as Promise<{ data?: { login?: { accessToken: string; expiresAt: string; viewer: { kind: string } } }; errors?: Array<{ message: string }> }>);
    const login = r.data?.login;
    if (!login) return void res.status(401).type('html').send(page(r.errors?.[0]?.message ?? 'Sign-in failed.'));
    if (login.viewer.kind !== 'OPERATOR') return void res.status(403).type('html').send(page('Only the vendor operator may open the job dashboard.'));
    // The cookie may outlive the token; the dashboard then answers 401 and asks to sign in again.
    res.setHeader('Set-Cookie', sessionCookie(login.accessToken, 3600, production));
    res.redirect(303, '/admin/queues');
  });
}
