import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { startIdentity } from '@csp/svc-identity/app';
import { errorCode, eventually, graphql, isolatedEnv, PINNED_NOW, REPO_ROOT, startStack, type Stack } from '@csp/testkit';

let stack: Stack;
let child: ChildProcess | undefined;
beforeAll(async () => {
  stack = await startStack('clock');
});
afterAll(async () => {
  child?.kill('SIGTERM');
  await stack?.stop();
});

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function healthNow(base: string): Promise<number> {
  const body = await (await fetch(`${base}/health`)).json();
  return Date.parse(body.now);
}

describe('platform test clock', () => {
  it('anyone can read the clock', async () => {
    const r = await stack.op('Clock');
    expect(r.errors).toBeUndefined();
    expect(r.data.clock.testClock).toBe(true);
    // The file's platform clock starts at the pinned instant, whatever the real date.
    expect(Date.parse(r.data.clock.now)).toBeGreaterThanOrEqual(Date.parse(PINNED_NOW));
    expect(Date.parse(r.data.clock.now) - Date.parse(PINNED_NOW)).toBeLessThan(15 * 60_000);
  });

  it('the operator moves it forward and every process agrees within a second', async () => {
    // One more process of its own, started from the built output like `make up` does.
    const port = await freePort();
    child = spawn(process.execPath, [path.join(REPO_ROOT, 'services/billing/dist/index.js')], {
      env: { ...stack.env, PORT: String(port), MONGO_DB: `${stack.env.DB_PREFIX}_billing2`, JWKS_URL: `${stack.identity.url}/.well-known/jwks.json` },
      stdio: 'ignore',
    });
    const childBase = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100 && !(await fetch(`${childBase}/health`).then((r) => r.ok, () => false)); i++) await new Promise((r) => setTimeout(r, 100));

    const target = new Date(Date.parse((await stack.op('Clock')).data.clock.now) + 45 * 24 * 3600 * 1000);
    const r = await stack.op('AdvanceClock', { to: target.toISOString() }, await stack.operatorToken());
    expect(r.errors).toBeUndefined();
    expect(Date.parse(r.data.advanceClock.now)).toBeGreaterThanOrEqual(target.getTime());

    // Pub/sub tells every process at once (a poll catches a missed message); on a busy machine
    // "at once" can take longer than a second, so wait for it rather than for a fixed time.
    const bases = [stack.gateway!.url, ...Object.values(stack.services).map((s) => s!.url), childBase].filter((b) => b !== stack.gateway!.url);
    for (const base of bases) {
      const now = await eventually(async () => {
        const t = await healthNow(base);
        return t >= target.getTime() ? t : undefined;
      }, 10_000, `${base} to see the jump`);
      expect(now - target.getTime()).toBeLessThan(60_000);
    }
    const read = await stack.op('Clock');
    expect(Date.parse(read.data.clock.now)).toBeGreaterThanOrEqual(target.getTime());
  });

  it('refuses to move back (BAD_USER_INPUT) and keeps the time', async () => {
    const before = Date.parse((await stack.op('Clock')).data.clock.now);
    const r = await stack.op('AdvanceClock', { to: new Date(before - 24 * 3600 * 1000).toISOString() }, await stack.operatorToken());
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0].message).toMatch(/cannot move back/);
    expect(Date.parse((await stack.op('Clock')).data.clock.now)).toBeGreaterThanOrEqual(before);
  });

  it('is FORBIDDEN to anyone but the operator', async () => {
    const token = await stack.mint({ userId: 'usr_p', kind: 'PARTNER_USER', partnerId: 'ptn_x' });
    const r = await stack.op('AdvanceClock', { to: new Date(Date.now() + 400 * 24 * 3600 * 1000).toISOString() }, token);
    expect(errorCode(r)).toBe('FORBIDDEN');
    const anon = await stack.op('AdvanceClock', { to: new Date(Date.now() + 400 * 24 * 3600 * 1000).toISOString() });
    expect(errorCode(anon)).toBe('UNAUTHENTICATED');
  });
});

describe('test clock switched off', () => {
  async function advanceOn(extra: Record<string, string>) {
    const env = isolatedEnv('clockoff', { OPERATOR_EMAIL: 'op@off.example', OPERATOR_PASSWORD: 'operator-off-password', ...extra });
    const identity = await startIdentity({ ...env, MONGO_DB: `${env.DB_PREFIX}_identity` }, true);
    try {
      const url = `${identity.url}/graphql`;
      const internal = env.INTERNAL_SECRET;
      const login = await graphql(url, 'mutation { login(email: "op@off.example", password: "operator-off-password") { accessToken } }', {}, { internal });
      const token = login.data.login.accessToken;
      const r = await graphql(url, 'mutation ($to: DateTime!) { advanceClock(to: $to) { now } }', { to: new Date(Date.now() + 864e5).toISOString() }, { token, internal });
      const clock = await graphql(url, '{ clock { now testClock } }', {}, { internal });
      return { r, clock };
    } finally {
      await identity.stop();
    }
  }

  it('without TEST_CLOCK=enabled the mutation is FORBIDDEN and the clock is the system clock', async () => {
    const { r, clock } = await advanceOn({ TEST_CLOCK: 'disabled' });
    expect(errorCode(r)).toBe('FORBIDDEN');
    expect(clock.data.clock.testClock).toBe(false);
    expect(Math.abs(Date.parse(clock.data.clock.now) - Date.now())).toBeLessThan(5_000);
  });

  it('in production mode the mutation is FORBIDDEN', async () => {
    const { r } = await advanceOn({ TEST_CLOCK: 'disabled', NODE_ENV: 'production' });
    expect(errorCode(r)).toBe('FORBIDDEN');
  });

  it('a production process refuses to start with the test clock on', async () => {
    const env = isolatedEnv('clockprod', { TEST_CLOCK: 'enabled', NODE_ENV: 'production' });
    await expect(startIdentity({ ...env, MONGO_DB: `${env.DB_PREFIX}_identity` }, true)).rejects.toThrow(
      'config error: TEST_CLOCK must not be enabled when NODE_ENV=production',
    );
  });
});
