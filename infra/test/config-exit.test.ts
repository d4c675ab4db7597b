import { spawn } from 'node:child_process';
import path from 'node:path';
import { PROCESS_ENTRY, REPO_ROOT, type ProcessName } from '@csp/testkit';

/**
 * Every process the project starts checks its whole environment — the runtime's variables and
 * its service's own — before it reaches a store: a bad value is one line naming the variable on
 * stderr and exit code 78 (EX_CONFIG), never a stack. No store runs here: the addresses below
 * lead nowhere, so a process that let a bad value through would fail (or hang) instead.
 */
const GOOD = {
  PATH: process.env.PATH,
  NODE_ENV: 'test',
  MONGO_URL: 'mongodb://127.0.0.1:1/',
  REDIS_URL: 'redis://127.0.0.1:1',
  JWKS_URL: 'http://127.0.0.1:1/.well-known/jwks.json',
  INTERNAL_SECRET: 'a-shared-secret-of-at-least-32-characters',
  PORT: '0',
};

const MONGO_LINE = 'config error: MONGO_URL must be a mongodb:// or mongodb+srv:// URL';

/** Per process: its store variable set to `x`, then bad variables of its own (or the runtime's). */
const CASES: Record<ProcessName, [Record<string, string | undefined>, string][]> = {
  identity: [
    [{ MONGO_URL: 'x' }, MONGO_LINE],
    [{ ACCESS_TOKEN_TTL_SECONDS: '5' }, 'config error: ACCESS_TOKEN_TTL_SECONDS must be a number of seconds from 60 to 86400'],
    [{ PORT: 'eighty' }, 'config error: PORT must be a port number from 0 to 65535'],
  ],
  catalog: [
    [{ MONGO_URL: 'x' }, MONGO_LINE],
    [{ CATALOG_SEED: 'maybe' }, 'config error: CATALOG_SEED must be one of on, off'],
  ],
  subscription: [
    [{ MONGO_URL: 'x' }, MONGO_LINE],
    [{ ACCESS_CONTROL_URL: 'access-control:4004' }, 'config error: ACCESS_CONTROL_URL must be the http(s) base URL of access-control'],
    [{ INTERNAL_SECRET: undefined }, 'config error: INTERNAL_SECRET is required but not set'],
  ],
  'subscription-worker': [
    [{ MONGO_URL: 'x' }, MONGO_LINE],
    [{ PROVISIONING_CONCURRENCY: '0' }, 'config error: PROVISIONING_CONCURRENCY must be a whole number from 1 to 100'],
    [{ ACCESS_CONTROL_URL: 'access-control:4004' }, 'config error: ACCESS_CONTROL_URL must be the http(s) base URL of access-control'],
  ],
  'access-control': [
    [{ MONGO_URL: 'x' }, MONGO_LINE],
    [{ OUTBOX_SWEEP_MS: 'soon' }, 'config error: OUTBOX_SWEEP_MS must be a number of milliseconds from 100 to 3600000'],
    [{ OWNER_GRANT_WAIT_MS: '-1' }, 'config error: OWNER_GRANT_WAIT_MS must be a number of milliseconds from 0 to 60000'],
  ],
  billing: [
    [{ MONGO_URL: 'x' }, MONGO_LINE],
    [{ BILLING_VENDOR_COUNTRY: 'Ireland' }, 'config error: BILLING_VENDOR_COUNTRY must be an ISO 3166-1 alpha-2 country code such as IE'],
  ],
  'billing-worker': [
    [{ MONGO_URL: 'x' }, MONGO_LINE],
    [{ BILLING_WORKER_CONCURRENCY: '100' }, 'config error: BILLING_WORKER_CONCURRENCY must be a whole number from 1 to 64'],
  ],
  support: [
    [{ MONGO_URL: 'x' }, MONGO_LINE],
    [{ SUPPORT_SLA_POLL_MS: '10' }, 'config error: SUPPORT_SLA_POLL_MS must be a number of milliseconds from 100 to 3600000'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, 'config error: OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL of an OTLP collector'],
  ],
  // The gateway keeps no MongoDB: its store is Redis.
  gateway: [
    [{ REDIS_URL: 'x' }, 'config error: REDIS_URL must be a redis:// or rediss:// URL'],
    [{ TRUST_PROXY: 'everyone' }, 'config error: TRUST_PROXY must be "false" or a comma-separated list of proxy addresses, CIDR ranges, loopback, linklocal or uniquelocal'],
    [{ INTERNAL_SECRET: 'short' }, 'config error: INTERNAL_SECRET must be at least 32 characters, the same for the gateway and every service'],
  ],
};

interface Exit {
  status: number | null;
  stderr: string;
}

/**
 * Runs one process to its end. One that exits by itself is done in about a second; one that got
 * past its config would start and wait for the stores: killed after `timeoutMs` (generous, for a
 * busy machine), its status is null and its test fails.
 */
function run(name: ProcessName, bad: Record<string, string | undefined>, timeoutMs = 120_000): Promise<Exit> {
  const env = Object.fromEntries(Object.entries({ ...GOOD, ...bad }).filter((e): e is [string, string] => e[1] !== undefined));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, PROCESS_ENTRY[name])], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stderr });
    });
  });
}

const all = (Object.entries(CASES) as [ProcessName, (typeof CASES)[ProcessName]][]).flatMap(([name, cases]) =>
  cases.map(([bad, line]) => ({ name, bad, line, label: `${name}: ${Object.keys(bad).join(', ')}` })),
);

/** A few at a time: in parallel, but not so many that a 2-core machine thrashes. */
async function runAll(parallel: number): Promise<Map<string, Exit>> {
  const exits = new Map<string, Exit>();
  const queue = [...all];
  const lane = async () => {
    for (let c = queue.shift(); c; c = queue.shift()) exits.set(c.label, await run(c.name, c.bad));
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return exits;
}

describe('a bad setting stops every process with one line and exit code 78', () => {
  let exits: Map<string, Exit>;
  beforeAll(async () => {
    exits = await runAll(4);
  }, 600_000);

  it('covers every process the project starts', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(PROCESS_ENTRY).sort());
  });

  it.each(all)('$label', ({ label, line }) => {
    const exit = exits.get(label)!;
    expect({ lines: exit.stderr.trimEnd().split('\n'), status: exit.status }).toEqual({ lines: [line], status: 78 });
  });
});
