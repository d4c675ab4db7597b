import { chromium, type Browser } from 'playwright-core';
import { OPERATOR, startStack, type Stack } from '@csp/testkit';
import { startGateway, type RunningGateway } from '../src/server';

/** The HTML pages the gateway serves (issue 17): escaped output, CSRF, strict CSP, safe cookies. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let stack: Stack;
beforeAll(async () => {
  stack = await startStack('adminpages', { services: ['identity'] });
});
afterAll(() => stack?.stop());

/** GET the sign-in page: its CSRF cookie and hidden token, as a browser would keep them. */
async function signInForm(base: string) {
  const r = await fetch(`${base}/admin/login`);
  const html = await r.text();
  const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  return { cookie, token, setCookie: r.headers.getSetCookie() };
}

function post(base: string, form: string, cookie?: string) {
  return fetch(`${base}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    body: form,
  });
}

describe('security headers on every HTML page', () => {
  it.each(['/admin/login', '/explorer', '/admin/queues'])('%s has a strict CSP and the usual headers', async (path) => {
    const r = await fetch(`${stack.gateway!.url}${path}`);
    expect(r.headers.get('content-type')).toMatch(/text\/html/);
    const csp = r.headers.get('content-security-policy') ?? '';
    const scriptSrc = /script-src ([^;]+)/.exec(csp)?.[1] ?? '';
    expect(scriptSrc).toMatch(/'nonce-[A-Za-z0-9+/=]+'/);
    expect(scriptSrc).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).toMatch(/object-src 'none'/);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
  });
});

describe('operator sign-in form', () => {
  it('escapes what the caller sent (a repeated email field cannot inject HTML)', async () => {
    const base = stack.gateway!.url;
    const { cookie, token } = await signInForm(base);
    const evil = encodeURIComponent('<img src=x onerror=alert(1)>');
    const r = await post(base, `_csrf=${encodeURIComponent(token)}&email=${evil}&email=${evil}&password=${evil}`, cookie);
    const html = await r.text();
    expect(r.status).toBe(401);
    expect(html).not.toMatch(/<img/i);
    const one = await post(base, `_csrf=${encodeURIComponent(token)}&email=${evil}&password=x`, cookie);
    const oneHtml = await one.text();
    expect(oneHtml).not.toMatch(/<img/i);
    expect(oneHtml).toContain('&lt;img');
  });

  it('refuses a post without the CSRF token pair (403), and signs in with it', async () => {
    const base = stack.gateway!.url;
    const form = `email=${encodeURIComponent(OPERATOR.email)}&password=${encodeURIComponent(OPERATOR.password)}`;
    const bare = await post(base, form);
    expect(bare.status).toBe(403);
    expect(bare.headers.getSetCookie().some((c) => c.startsWith('csp_admin='))).toBe(false);
    const { cookie, token } = await signInForm(base);
    expect((await post(base, form, cookie)).status).toBe(403); // cookie without the field
    expect((await post(base, `${form}&_csrf=forged`, cookie)).status).toBe(403);
    const ok = await post(base, `${form}&_csrf=${encodeURIComponent(token)}`, cookie);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/admin/queues');
  });

  describe('in production', () => {
    let gw: RunningGateway;
    beforeAll(async () => {
      gw = await startGateway({ ...stack.env, NODE_ENV: 'production', TEST_CLOCK: 'disabled', JWKS_URL: `${stack.identity.url}/.well-known/jwks.json`, IDENTITY_URL: `${stack.identity.url}/graphql` }, true);
    });
    afterAll(() => gw?.shutdown.run());

    it('sets only HttpOnly, SameSite=Strict, Secure cookies', async () => {
      const { setCookie, cookie, token } = await signInForm(gw.url);
      expect(setCookie.length).toBeGreaterThan(0);
      const form = `email=${encodeURIComponent(OPERATOR.email)}&password=${encodeURIComponent(OPERATOR.password)}&_csrf=${encodeURIComponent(token)}`;
      const ok = await post(gw.url, form, cookie);
      expect(ok.status).toBe(303);
      for (const c of [...setCookie, ...ok.headers.getSetCookie()]) {
        expect(c).toMatch(/;\s*HttpOnly/i);
        expect(c).toMatch(/;\s*SameSite=Strict/i);
        expect(c).toMatch(/;\s*Secure/i);
      }
    });
  });
});

describe('the explorer runs under the CSP', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  });
  afterAll(() => browser?.close());

  it('renders GraphiQL with no CSP violation', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${stack.gateway!.url}/explorer`);
    await page.locator('.graphiql-container').first().waitFor({ timeout: 20_000 });
    expect(violations).toEqual([]);
    await page.close();
  });
});
