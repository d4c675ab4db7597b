import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { chromium, type Browser } from 'playwright-core';
import { bullPrefix } from '@csp/kernel';
import { OPERATOR, startStack, type Stack } from '@csp/testkit';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const QUEUE = 'dashboard-demo';

let stack: Stack;
let browser: Browser;
let redis: Redis;
let queue: Queue;
let worker: Worker;
let failNext = true;

beforeAll(async () => {
  stack = await startStack('dashboard', { services: ['identity'] });
  redis = new Redis(stack.env.REDIS_URL!, { maxRetriesPerRequest: null });
  const prefix = bullPrefix(stack.env.REDIS_PREFIX!);
  queue = new Queue(QUEUE, { connection: redis, prefix });
  // A job that fails once (attempts: 1), then succeeds when the operator retries it.
  worker = new Worker(
    QUEUE,
    async () => {
      if (failNext) {
        failNext = false;
        throw new Error('simulated cloud timed out');
      }
      return 'ok';
    },
    { connection: redis, prefix },
  );
  await queue.add('provision', { subscriptionId: 'sub_demo' }, { jobId: 'provision-sub_demo', attempts: 1 });
  for (let i = 0; i < 100 && (await queue.getJobCounts('failed')).failed === 0; i++) await new Promise((r) => setTimeout(r, 50));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await worker?.close();
  await queue?.obliterate({ force: true }).catch(() => undefined);
  await queue?.close();
  redis?.disconnect();
  await stack?.stop();
});

describe('job dashboard (Bull Board) for the operator', () => {
  it('answers 401 to anonymous callers and to non-operators', async () => {
    const base = stack.gateway!.url;
    expect((await fetch(`${base}/admin/queues`)).status).toBe(401);
    const partner = await stack.mint({ userId: 'usr_p', kind: 'PARTNER_USER', partnerId: 'ptn_p' });
    expect((await fetch(`${base}/admin/queues`, { headers: { authorization: `Bearer ${partner}` } })).status).toBe(401);
  });

  it('a signed-in operator sees the queues and a failed job, and retries it', async () => {
    const page = await browser.newPage();
    const base = stack.gateway!.url;
    await page.goto(`${base}/admin/queues`);
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('Email').fill(OPERATOR.email);
    await page.getByLabel('Password').fill(OPERATOR.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/admin/queues**`);
    await page.getByText(QUEUE).first().waitFor();

    await page.goto(`${base}/admin/queues/queue/${QUEUE}?status=failed`);
    await page.getByText('simulated cloud timed out').first().waitFor();
    await page.getByRole('button', { name: /retry/i }).first().click();
    // Some Bull Board versions confirm a retry; accept it when asked.
    const confirm = page.getByRole('button', { name: /^(confirm|yes|retry)$/i });
    if (await confirm.isVisible().catch(() => false)) await confirm.click();

    for (let i = 0; i < 100 && (await (await queue.getJob('provision-sub_demo'))!.getState()) !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await (await queue.getJob('provision-sub_demo'))!.getState()).toBe('completed');
    await page.close();
  });
});
