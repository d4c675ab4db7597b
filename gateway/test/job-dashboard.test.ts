import { chromium, type Browser } from 'playwright-core';
import { OPERATOR, startStack, type Stack } from '@csp/testkit';
import { failingJob, type FailingJob } from './failing-job';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const QUEUE = 'dashboard-demo';

let stack: Stack;
let browser: Browser;
let job: FailingJob;

beforeAll(async () => {
  stack = await startStack('dashboard', { services: ['identity'] });
  job = await failingJob(stack, QUEUE, 'provision-sub_demo', 'simulated cloud timed out');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await job?.close();
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

    for (let i = 0; i < 100 && (await (await job.queue.getJob('provision-sub_demo'))!.getState()) !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await (await job.queue.getJob('provision-sub_demo'))!.getState()).toBe('completed');
    await page.close();
  });
});
