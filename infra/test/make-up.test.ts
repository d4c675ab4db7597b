import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Issue #2's promise, as a user runs it: `make up` (infra/scripts/up.sh) starts every process,
 * loads the demo data, answers on every port, and Ctrl-C leaves no process behind. It runs on
 * ports of its own (PORT_BASE) and this run's stores, beside anything else on the machine.
 */
const ROOT = path.resolve(__dirname, '../..');
const PREFIX = `t:makeup${process.pid}`;
const OPERATOR = { email: 'operator@makeup.example', password: 'operator-makeup-password' };

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1', () => (s.end(), resolve(true)));
    s.on('error', () => resolve(false));
  });

/** Processes whose environment carries this run's Redis prefix: everything `make up` started. */
function ourProcesses(): number[] {
  const mine: number[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`REDIS_PREFIX=${PREFIX}`)) mine.push(Number(pid));
    } catch {
      // gone, or not ours to read
    }
  }
  return mine;
}

let up: ChildProcess;
let output = '';
let base = 0;
const dataDir = mkdtempSync(path.join(tmpdir(), 'csp-makeup-'));

beforeAll(async () => {
  // 20 consecutive free ports from a random base.
  for (;;) {
    base = 20_000 + Math.floor(Math.random() * 400) * 20;
    const taken = await Promise.all(Array.from({ length: 20 }, (_, i) => portOpen(base + i)));
    if (!taken.some(Boolean)) break;
  }
  up = spawn('bash', [path.join(ROOT, 'infra/scripts/up.sh')], {
    cwd: ROOT,
    detached: true, // its own process group, as a terminal's Ctrl-C addresses it
    env: {
      ...process.env,
      PORT_BASE: String(base),
      CSP_DATA_DIR: dataDir,
      REDIS_PREFIX: PREFIX,
      OPERATOR_EMAIL: OPERATOR.email,
      OPERATOR_PASSWORD: OPERATOR.password,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  up.stdout!.on('data', (d) => (output += d));
  up.stderr!.on('data', (d) => (output += d));
  const deadline = Date.now() + 240_000;
  while (!output.includes('CSP Commerce Graph is up.')) {
    if (up.exitCode !== null || Date.now() > deadline) throw new Error(`make up did not come up:\n${output.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}, 260_000);

afterAll(() => {
  if (up?.exitCode === null) process.kill(-up.pid!, 'SIGKILL');
  for (const pid of ourProcesses()) process.kill(pid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('make up', () => {
  it('loads the demo data: a closed month with all three invoice kinds', () => {
    // A store that already holds the demo (MONGO_URL pointing at a kept server) is left as it is.
    expect(output).toMatch(/demo data loaded: 5 invoices issued for \d{4}-\d{2}|demo data is already loaded/);
    expect(output).toContain('admin.direct.demo@partners.example');
    expect(output).toContain(`http://127.0.0.1:${base}/explorer`);
  });

  it('answers a query that touches all five subgraphs through the gateway', async () => {
    const gql = async (query: string, token?: string) =>
      (
        await fetch(`http://127.0.0.1:${base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ query }),
        })
      ).json();
    const login = await gql(`mutation { login(email: "${OPERATOR.email}", password: "${OPERATOR.password}") { accessToken } }`);
    const r = await gql(
      `{ me { kind } markets { code }
         customers(first: 5) { edges { node { companyName subscriptions(first: 5) { totalCount } } } }
         checkAccess(scope: "/customers/cus_none", action: "subscription/manage") { allowed }
         invoices(first: 10) { totalCount } }`,
      login.data.login.accessToken,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.me.kind).toBe('OPERATOR'); // identity
    expect(r.data.markets.length).toBeGreaterThan(3); // catalog
    expect(r.data.customers.edges.some((e: { node: { subscriptions: { totalCount: number } } }) => e.node.subscriptions.totalCount > 0)).toBe(true); // subscription
    expect(r.data.checkAccess.allowed).toBe(false); // access-control
    expect(r.data.invoices.totalCount).toBeGreaterThan(0); // billing
  });

  it('serves /health, /ready and /metrics on every process', async () => {
    for (const port of [0, 1, 2, 3, 4, 5, 13, 15].map((n) => base + n)) {
      for (const p of ['/health', '/ready', '/metrics']) {
        expect({ port, p, status: (await fetch(`http://127.0.0.1:${port}${p}`)).status }).toEqual({ port, p, status: 200 });
      }
      // Every process runs on Node 24 LTS, whatever Node the machine has (lib.sh's ensure_node24).
      const health = await (await fetch(`http://127.0.0.1:${port}/health`)).json();
      expect({ port, node: health.node }).toEqual({ port, node: expect.stringMatching(/^v24\./) });
    }
  });

  it('Ctrl-C stops every process it started', async () => {
    expect(ourProcesses().length).toBeGreaterThanOrEqual(8);
    process.kill(-up.pid!, 'SIGINT');
    await new Promise((r) => (up.exitCode !== null ? r(null) : up.once('exit', r)));
    for (let i = 0; i < 50 && ourProcesses().length; i++) await new Promise((r) => setTimeout(r, 100));
    expect(ourProcesses()).toEqual([]);
    expect(output).toContain('==> stopped');
  });
});
