import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SUBGRAPHS, subgraphUrlEnv, type SubgraphName } from '@csp/kernel';
import { isolatedEnv, REPO_ROOT } from './env';
import { roundRobinProxy, type RoundRobin } from './round-robin';
import { OPERATOR } from './stack';

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export type ProcessName = SubgraphName | 'gateway' | 'subscription-worker' | 'billing-worker';

/** The built entry file of every process the project starts. */
export const PROCESS_ENTRY: Record<ProcessName, string> = {
  identity: 'services/identity/dist/index.js',
  catalog: 'services/catalog/dist/index.js',
  subscription: 'services/subscription/dist/index.js',
  'access-control': 'services/access-control/dist/index.js',
  billing: 'services/billing/dist/index.js',
  support: 'services/support/dist/index.js',
  'subscription-worker': 'services/subscription/dist/worker.js',
  'billing-worker': 'services/billing/dist/worker.js',
  gateway: 'gateway/dist/index.js',
};

interface Running {
  name: ProcessName;
  instance: string;
  child: ChildProcess;
  port: number;
  env: NodeJS.ProcessEnv;
}

export interface ProcessStack {
  env: ReturnType<typeof isolatedEnv>;
  gatewayUrl: string;
  baseUrl(name: ProcessName, replica?: number): string;
  /** The round-robin proxy in front of a subgraph started with replicas (undefined for one). */
  balancer(name: SubgraphName): RoundRobin | undefined;
  /** Starts one more replica (workers scale this way in tests), with extra env (e.g. CSP_CRASH_AT). */
  startReplica(name: ProcessName, env?: Record<string, string>): Promise<string>;
  /** The base URL of a running instance (`subscription#2`). */
  instanceUrl(instance: string): string;
  /** Resolves when the instance has exited: its exit code, or the signal that ended it. */
  exited(instance: string): Promise<number | NodeJS.Signals | null>;
  /** The database a process of `name` keeps its store in. */
  dbName(name: ProcessName): string;
  /** SIGKILL (or another signal) one replica; resolves when it has exited. */
  kill(instance: string, signal?: NodeJS.Signals): Promise<void>;
  /** Sends a signal without waiting for an exit (SIGSTOP pauses a process, SIGCONT resumes it). */
  signal(instance: string, signal: NodeJS.Signals): void;
  instances(): string[];
  logDir: string;
  stop(): Promise<void>;
}

/**
 * The processes `make up` starts — built output, one OS process each — on free ports and this
 * test's own databases and Redis prefix. For end-to-end, crash and scaling tests.
 * `replicas` runs a subgraph as several processes behind a round-robin proxy, whose address is
 * the one the gateway and the other services (ACCESS_CONTROL_URL) are given.
 */
export async function startProcesses(
  tag: string,
  opts: {
    workers?: Partial<Record<'subscription-worker' | 'billing-worker', number>>;
    replicas?: Partial<Record<Exclude<SubgraphName, 'identity'>, number>>;
    env?: Record<string, string>;
  } = {},
): Promise<ProcessStack> {
  const env = isolatedEnv(tag, { OPERATOR_EMAIL: OPERATOR.email, OPERATOR_PASSWORD: OPERATOR.password, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info', ...opts.env });
  const logDir = mkdtempSync(path.join(tmpdir(), `csp-${tag}-`));
  const running: Running[] = [];
  const counts = new Map<ProcessName, number>();
  const dbOf = (name: ProcessName) => `${env.DB_PREFIX}_${name.replace(/-worker$/, '').replace('-', '_')}`;
  let jwksUrl = '';
  const subgraphUrls: Record<string, string> = {};
  const balancers = new Map<SubgraphName, RoundRobin>();

  async function launch(name: ProcessName, extra: Record<string, string> = {}): Promise<Running> {
    const port = await freePort();
    const n = (counts.get(name) ?? 0) + 1;
    counts.set(name, n);
    const instance = `${name}#${n}`;
    const penv: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      ...env,
      PORT: String(port),
      ...(name === 'gateway' ? {} : { MONGO_DB: dbOf(name) }),
      ...(jwksUrl ? { JWKS_URL: jwksUrl } : {}),
      ACCESS_CONTROL_URL: subgraphUrls['access-control']?.replace(/\/graphql$/, '') ?? '',
      ...extra,
    };
    if (!penv.ACCESS_CONTROL_URL) delete penv.ACCESS_CONTROL_URL;
    const log = createWriteStream(path.join(logDir, `${instance.replace('#', '-')}.log`));
    const child = spawn(process.execPath, [path.join(REPO_ROOT, PROCESS_ENTRY[name])], { env: penv, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    const r = { name, instance, child, port, env: penv };
    running.push(r);
    try {
      await waitReady(r, logDir);
    } catch (err) {
      // A stack that fails to start leaves no process behind (the test never gets it to stop).
      for (const x of running) if (x.child.exitCode === null) x.child.kill('SIGKILL');
      for (const b of balancers.values()) void b.close();
      throw err;
    }
    return r;
  }

  const identity = await launch('identity');
  jwksUrl = `http://127.0.0.1:${identity.port}/.well-known/jwks.json`;
  subgraphUrls.identity = `http://127.0.0.1:${identity.port}/graphql`;
  // access-control first among the rest: subscription and billing ask it for decisions.
  /** A subgraph's replicas (one after the other: each its own port), and the address to use. */
  async function launchSubgraph(name: Exclude<SubgraphName, 'identity'>): Promise<void> {
    const urls: string[] = [];
    for (let i = 0; i < (opts.replicas?.[name] ?? 1); i++) urls.push(`http://127.0.0.1:${(await launch(name)).port}`);
    if (urls.length > 1) {
      const proxy = await roundRobinProxy(urls);
      balancers.set(name, proxy);
      urls[0] = proxy.url;
    }
    subgraphUrls[name] = `${urls[0]}/graphql`;
  }
  await launchSubgraph('access-control');
  await Promise.all((['catalog', 'subscription', 'billing', 'support'] as const).map(launchSubgraph));
  const defaultWorkers = Object.fromEntries(
    (['subscription-worker', 'billing-worker'] as const).filter((w) => existsSync(path.join(REPO_ROOT, PROCESS_ENTRY[w]))).map((w) => [w, 1]),
  );
  for (const [w, count] of Object.entries(opts.workers ?? defaultWorkers)) {
    for (let i = 0; i < (count ?? 0); i++) await launch(w as ProcessName);
  }
  const gatewayEnv = Object.fromEntries(SUBGRAPHS.map((s) => [subgraphUrlEnv(s.name), subgraphUrls[s.name]]));
  const gateway = await launch('gateway', { ...gatewayEnv, RATE_LIMIT_PER_MINUTE: '1000000', LOGIN_RATE_LIMIT_PER_MINUTE: '1000000' });

  const find = (name: ProcessName, replica = 1) => running.find((r) => r.instance === `${name}#${replica}` && r.child.exitCode === null);
  return {
    env,
    logDir,
    gatewayUrl: `http://127.0.0.1:${gateway.port}/graphql`,
    baseUrl(name, replica = 1) {
      const r = find(name, replica);
      if (!r) throw new Error(`${name}#${replica} is not running`);
      return `http://127.0.0.1:${r.port}`;
    },
    balancer: (name) => balancers.get(name),
    async startReplica(name, extra = {}) {
      return (await launch(name, extra)).instance;
    },
    instanceUrl(instance) {
      const r = running.find((x) => x.instance === instance && x.child.exitCode === null && !x.child.signalCode);
      if (!r) throw new Error(`${instance} is not running`);
      return `http://127.0.0.1:${r.port}`;
    },
    exited(instance) {
      const r = running.find((x) => x.instance === instance);
      if (!r) return Promise.reject(new Error(`no instance ${instance}`));
      if (r.child.exitCode !== null || r.child.signalCode) return Promise.resolve(r.child.signalCode ?? r.child.exitCode);
      return new Promise((res) => r.child.once('exit', (code, signal) => res(signal ?? code)));
    },
    dbName: dbOf,
    async kill(instance, signal = 'SIGKILL') {
      const r = running.find((x) => x.instance === instance);
      if (!r || r.child.exitCode !== null || r.child.signalCode) return;
      const exited = new Promise((res) => r.child.once('exit', res));
      r.child.kill(signal);
      await exited;
    },
    signal(instance, signal) {
      running.find((x) => x.instance === instance && x.child.exitCode === null)?.child.kill(signal);
    },
    instances: () => running.filter((r) => r.child.exitCode === null && !r.child.signalCode).map((r) => r.instance),
    async stop() {
      await Promise.all(
        running.map(async (r) => {
          if (r.child.exitCode !== null || r.child.signalCode) return;
          const exited = new Promise((res) => r.child.once('exit', res));
          r.child.kill('SIGTERM');
          const timer = setTimeout(() => r.child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timer);
        }),
      );
      await Promise.all([...balancers.values()].map((b) => b.close()));
    },
  };
}

async function waitReady(r: Running, logDir: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (r.child.exitCode !== null) throw new Error(`${r.instance} exited with ${r.child.exitCode}; see ${logDir}`);
    const ok = await fetch(`http://127.0.0.1:${r.port}/ready`).then((x) => x.ok, () => false);
    if (ok) return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`${r.instance} did not become ready in 30 s; see ${logDir}`);
}
