import { readdirSync, readFileSync } from 'node:fs';
import { sep } from 'node:path';

/**
 * CPU time (user + system, ms) of this bench's child processes, the store's FerretDB and the
 * PostgreSQL backends serving its database, read from /proc: where a request's time goes, process
 * by process (Linux only; empty elsewhere).
 */
export function processCpu(): Map<string, number> {
  const out = new Map<string, number>();
  const ticks = 100; // USER_HZ on Linux
  const ferretPort = /:(\d+)\//.exec(process.env.MONGO_URL ?? '')?.[1];
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return out;
  }
  const cmdOf = (pid: string) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  // FerretDB's own PostgreSQL database (`--postgresql-url=postgres://…/<db>?…`), to find its backends.
  let pgDb: string | undefined;
  for (const pid of pids) {
    try {
      const cmd = cmdOf(pid);
      if (ferretPort && cmd[0]?.includes('ferretdb') && cmd.some((a) => a.includes(`:${ferretPort}`))) {
        pgDb = /postgresql-url=postgres:\/\/[^/]*\/([^?]+)/.exec(cmd.join(' '))?.[1];
      }
    } catch {
      // the process ended meanwhile
    }
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(f[1]);
      const cmd = cmdOf(pid);
      let name: string | undefined;
      if (ppid === process.pid) {
        // services/billing/dist/index.js → billing; …/worker.js → billing-worker; gateway; hive-gateway
        const entry = cmd[1] ?? '';
        const parts = entry.split(sep);
        const file = parts.at(-1)?.replace(/\.js$/, '') ?? entry;
        name = file === 'hive-gateway' ? 'hive-gateway' : parts.includes('gateway') ? 'gateway' : `${parts.at(-3)}${file === 'worker' ? '-worker' : ''}`;
      } else if (ferretPort && cmd[0]?.includes('ferretdb') && cmd.some((a) => a.includes(`:${ferretPort}`))) {
        name = 'ferretdb';
      } else if (pgDb && cmd[0]?.startsWith('postgres:') && cmd[0].split(' ').includes(pgDb)) {
        name = 'postgres';
      }
      if (!name) continue;
      const ms = ((Number(f[11]) + Number(f[12])) / ticks) * 1000;
      out.set(name, (out.get(name) ?? 0) + ms);
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/** CPU ms per request of each process between two snapshots, busiest first. */
export function cpuPerRequest(before: Map<string, number>, after: Map<string, number>, requests: number): string {
  return [...after]
    .map(([name, ms]) => [name, (ms - (before.get(name) ?? 0)) / requests] as const)
    .filter(([, ms]) => ms > 0.05)
    .sort((a, b) => b[1] - a[1])
    .map(([name, ms]) => `${name} ${ms.toFixed(1)}`)
    .join(', ');
}
