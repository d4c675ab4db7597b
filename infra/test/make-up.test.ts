import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
// Every Node process make up starts carries the guard, which logs any reach beyond loopback.
const netGuardLog = path.join(dataDir, 'net-guard.log');
let ferretArgs: string[][] = [];

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
      // Its own local store, as on a fresh clone (not the test run's): FerretDB on PostgreSQL or
      // SQLite, on base+17 like every port make up takes.
      MONGO_URL: '',
      PORT_BASE: String(base),
      CSP_DATA_DIR: dataDir,
      REDIS_PREFIX: PREFIX,
      OPERATOR_EMAIL: OPERATOR.email,
      OPERATOR_PASSWORD: OPERATOR.password,
      LOG_LEVEL: 'warn',
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${path.join(ROOT, 'infra/test/support/net-guard.js')}`.trim(),
      NET_GUARD_LOG: netGuardLog,
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
  // make up keeps its PostgreSQL database (named in the data folder) for the next run: drop this one's.
  const db = path.join(dataDir, 'ferretdb/pg-database');
  if (existsSync(db)) {
    const script = `source infra/scripts/lib.sh; choose_postgres ${JSON.stringify(dataDir)} >/dev/null && pg_drop_database "$(cat ${JSON.stringify(db)})"; pg_stop_own`;
    execFileSync('bash', ['-c', script], { cwd: ROOT, stdio: 'ignore' });
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('make up', () => {
  it('loads the demo data: a closed month with all three invoice kinds', () => {
    // A store that already holds the demo (MONGO_URL pointing at a kept server) is left as it is.
    expect(output).toMatch(/demo data loaded: \d+ invoices issued for \d{4}-\d{2}|demo data is already loaded/);
    expect(output).toContain('admin.direct.demo@partners.example');
    expect(output).toContain(`http://127.0.0.1:${base}/explorer`);
    // It says which store backend runs (PostgreSQL when one can be had, else SQLite and why).
    expect(output).toMatch(/==> store: (FerretDB v[\d.]+ on (postgresql|sqlite)|FerretDB on SQLite)/);
  });

  it('answers a query that touches all six subgraphs through the gateway', async () => {
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
         invoices(first: 10) { totalCount }
         tickets(first: 10) { totalCount } }`,
      login.data.login.accessToken,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.me.kind).toBe('OPERATOR'); // identity
    expect(r.data.markets.length).toBeGreaterThan(3); // catalog
    expect(r.data.customers.edges.some((e: { node: { subscriptions: { totalCount: number } } }) => e.node.subscriptions.totalCount > 0)).toBe(true); // subscription
    expect(r.data.checkAccess.allowed).toBe(false); // access-control
    expect(r.data.invoices.totalCount).toBeGreaterThan(0); // billing
    expect(r.data.tickets.totalCount).toBeGreaterThan(0); // support: the demo's ticket escalated to the vendor
  });

  it('serves /health, /ready and /metrics on every process', async () => {
    for (const port of [0, 1, 2, 3, 4, 5, 6, 13, 15].map((n) => base + n)) {
      for (const p of ['/health', '/ready', '/metrics']) {
        expect({ port, p, status: (await fetch(`http://127.0.0.1:${port}${p}`)).status }).toEqual({ port, p, status: 200 });
      }
      // Every process runs on Node 24 LTS, whatever Node the machine has (lib.sh's ensure_node24).
      const health = await (await fetch(`http://127.0.0.1:${port}/health`)).json();
      expect({ port, node: health.node }).toEqual({ port, node: expect.stringMatching(/^v24\./) });
    }
  });

  it('a second make up on the same PORT_BASE refuses in one clear line and touches nothing', async () => {
    const other = mkdtempSync(path.join(tmpdir(), 'csp-makeup2-'));
    try {
      const r = spawnSync('bash', [path.join(ROOT, 'infra/scripts/up.sh')], {
        cwd: ROOT,
        env: { ...process.env, PORT_BASE: String(base), CSP_DATA_DIR: other, REDIS_PREFIX: `${PREFIX}:second` },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status).not.toBe(0);
      const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
      expect(errors).toEqual([`error: port ${base} for gateway is taken (another 'make up'? set PORT_BASE)`]);
      expect((await fetch(`http://127.0.0.1:${base}/health`)).status).toBe(200);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('keeps its store on a port of its own PORT_BASE', () => {
    const store = ourProcesses().map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')).find((argv) => argv.some((a) => a.includes('ferretdb')));
    if (store) expect(store.join(' ')).toContain(`127.0.0.1:${base + 17}`);
  });

  it('restarts a SIGKILLed process alone; the others keep serving meanwhile', async () => {
    const pidOf = (entry: string) => ourProcesses().find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(entry));
    const victim = pidOf('services/billing/dist/index.js');
    expect(victim).toBeDefined();
    const others = ourProcesses().filter((p) => p !== victim);
    const failures: string[] = [];
    let probing = true;
    // A query that needs no billing: identity and catalog through the gateway, all the while.
    const probe = (async () => {
      while (probing) {
        const r = await fetch(`http://127.0.0.1:${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ clock { now } markets { code } }' }) })
          .then(async (x) => (x.status === 200 && !(await x.json()).errors ? null : `status ${x.status}`))
          .catch((e) => String(e));
        if (r) failures.push(r);
        await new Promise((res) => setTimeout(res, 200));
      }
    })();
    process.kill(victim!, 'SIGKILL');
    const started = Date.now();
    const ports = [0, 1, 2, 3, 4, 5, 13, 15].map((n) => base + n);
    let green = false;
    while (!green && Date.now() - started < 30_000) {
      await new Promise((res) => setTimeout(res, 500));
      const statuses = await Promise.all(ports.map((port) => fetch(`http://127.0.0.1:${port}/ready`).then((x) => x.status).catch(() => 0)));
      green = statuses.every((st) => st === 200) && pidOf('services/billing/dist/index.js') !== undefined && pidOf('services/billing/dist/index.js') !== victim;
    }
    probing = false;
    await probe;
    expect(green).toBe(true);
    expect(failures).toEqual([]);
    // Nobody else was restarted.
    for (const pid of others) expect(ourProcesses()).toContain(pid);
    expect(readFileSync(path.join(dataDir, 'logs/billing.log'), 'utf8')).toMatch(/billing exited with status \d+; restarting/);
  }, 45_000);

  it('Ctrl-C stops every process it started', async () => {
    expect(ourProcesses().length).toBeGreaterThanOrEqual(9);
    ferretArgs = ourProcesses()
      .map((pid) => { try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'); } catch { return []; } })
      .filter((args) => args.some((a) => /ferretdb/.test(a)));
    process.kill(-up.pid!, 'SIGINT');
    await new Promise((r) => (up.exitCode !== null ? r(null) : up.once('exit', r)));
    for (let i = 0; i < 50 && ourProcesses().length; i++) await new Promise((r) => setTimeout(r, 100));
    expect(ourProcesses()).toEqual([]);
    expect(output).toContain('==> stopped');
  });

  it('nothing phones home: no process reached beyond loopback, from start to shutdown', () => {
    // Apollo's gateway reports usage at shutdown too, so this reads the guard's log after Ctrl-C.
    const attempts = existsSync(netGuardLog) ? readFileSync(netGuardLog, 'utf8').trim().split('\n').filter(Boolean) : [];
    expect(attempts.map((l) => { const a = JSON.parse(l); return `${a.what} ${a.host}${a.port ? `:${a.port}` : ''} from ${a.argv}`; })).toEqual([]);
    // FerretDB (Go, not covered by the guard), where make up started one, runs with its telemetry off.
    for (const args of ferretArgs) expect(args).toContain('--telemetry=disable');
  });
});
