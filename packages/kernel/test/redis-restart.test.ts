import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue, Worker } from 'bullmq';
import { createRedis } from '@csp/kernel';

/** The store is infrastructure, like the machine's Redis: it runs on the real clock even when a test run fakes the date. */
const realClockEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'LD_PRELOAD' && !k.startsWith('FAKETIME')));

/** A Redis of this test's own (AOF on, as in production), so it can be restarted. */
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const p = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore', env: realClockEnv() });
  return new Promise((resolve, reject) => {
    const probe = async (n: number): Promise<void> => {
      const ok = await new Promise<boolean>((r) => {
        const s = require('node:net').connect(port, '127.0.0.1', () => (s.end(), r(true)));
        s.on('error', () => r(false));
      });
      if (ok) return resolve(p);
      if (n > 100) return reject(new Error('redis-server did not start'));
      setTimeout(() => void probe(n + 1), 50);
    };
    void probe(0);
  });
}

it('Redis restarting while workers run loses no job', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'redis-restart-'));
  const port = await freePort();
  let redisProc = await startRedis(port, dir);
  const url = `redis://127.0.0.1:${port}`;
  const producer = createRedis(url, 'worker');
  const workerConn = createRedis(url, 'worker');
  const queue = new Queue('restart', { connection: producer });
  const done = new Set<string>();
  const worker = new Worker(
    'restart',
    async (job) => {
      await new Promise((r) => setTimeout(r, 20));
      done.add(job.data.n);
    },
    { connection: workerConn, concurrency: 2, stalledInterval: 1000, lockDuration: 2000 },
  );
  worker.on('error', () => undefined);
  try {
    const total = 60;
    await queue.addBulk(Array.from({ length: total }, (_, n) => ({ name: 'job', data: { n: String(n) }, opts: { jobId: `job-${n}`, attempts: 5 } })));
    while (done.size < 10) await new Promise((r) => setTimeout(r, 20));

    // Stop Redis mid-run (it flushes its AOF), then bring it back on the same port and folder.
    redisProc.kill('SIGTERM');
    await new Promise((r) => redisProc.once('exit', r));
    await new Promise((r) => setTimeout(r, 500));
    redisProc = await startRedis(port, dir);

    const deadline = Date.now() + 30_000;
    while (done.size < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(done.size).toBe(total);
    const counts = await queue.getJobCounts('completed', 'failed', 'waiting', 'active');
    expect(counts.failed).toBe(0);
    expect(counts.completed).toBe(total);
  } finally {
    await worker.close(true).catch(() => undefined);
    await queue.close().catch(() => undefined);
    producer.disconnect();
    workerConn.disconnect();
    redisProc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
