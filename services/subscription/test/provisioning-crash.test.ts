import type { ChildProcess } from 'node:child_process';
import { Queue } from 'bullmq';
import { bullPrefix, eventQueueName } from '@csp/kernel';
import { startStack, type Stack } from '@csp/testkit';
import { provisionJobId } from '../src/provisioning/provisioning.queue';
import { eventually, exited, IDS, order, partnerToken, seedFacts, spawnWorkerProcess, subDeps } from './helpers';

/**
 * The provisioning worker as its own process (dist/worker.js, built before jest), dying for real
 * (SIGKILL, CSP_CRASH_AT) at each named point of a provisioning run, then started again without
 * it: the run is finished once — one cloud subscription, ACTIVE, one `subscription.activated`,
 * the partner's OWNER grant in force.
 */
let stack: Stack;
let direct: string;
let events: Queue;
const children: ChildProcess[] = [];

const spawnWorker = (extra: Record<string, string> = {}) => spawnWorkerProcess(stack, children, extra);

beforeAll(async () => {
  stack = await startStack('subprovcrash', { services: ['subscription', 'access-control'], env: { PROVISIONING_BACKOFF_MS: '100' } });
  await seedFacts(stack);
  direct = await partnerToken(stack, IDS.direct, IDS.directGroup);
  events = new Queue(eventQueueName('access-control'), { connection: stack.identity.rt.redis, prefix: bullPrefix(stack.env.REDIS_PREFIX!) });
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await events?.close();
  await stack?.stop();
});

/** What the dead worker left behind at each point, before the next one finishes the run. */
const LEFT: Record<string, { clouds: number; status: string }> = {
  'provisioning.claimed': { clouds: 0, status: 'PROVISIONING' },
  'provisioning.cloud-created': { clouds: 1, status: 'PROVISIONING' },
  'provisioning.activated': { clouds: 1, status: 'ACTIVE' },
};

it.each(Object.keys(LEFT))('a worker killed at %s and started again finishes the run once', async (point) => {
  const d = subDeps(stack);
  const first = spawnWorker({ CSP_CRASH_AT: point });
  const r = await stack.op('PlaceOrder', order(IDS.customer, `crash-${point}`, [{ offerId: IDS.license, quantity: 2 }]), direct);
  expect(r.errors).toBeUndefined();
  const id: string = r.data.placeOrder.order.lineItems[0].subscription.id;

  await exited(first);
  expect(first.signalCode).toBe('SIGKILL');
  expect(await d.models.clouds.countDocuments({ subscriptionId: id })).toBe(LEFT[point].clouds);
  expect((await d.models.subscriptions.findById(id).lean())!.status).toBe(LEFT[point].status);

  // A fresh worker finds the stalled job once its lock expires and runs it again.
  const second = spawnWorker();
  const done = await eventually(
    async () => {
      const sub = await d.models.subscriptions.findById(id).lean();
      const job = await d.queue.getJob(provisionJobId(id));
      // ACTIVE, its run over, and every event it wrote relayed.
      return sub?.status === 'ACTIVE' && (await job?.getState()) === 'completed' && !sub.outbox?.length ? sub : undefined;
    },
    40_000,
    `${id} ACTIVE, its job completed, its outbox relayed`,
  );
  expect(await d.models.clouds.countDocuments({ subscriptionId: id })).toBe(1);
  expect(done.history.filter((h) => h.status === 'ACTIVE')).toHaveLength(1);
  const activated = (await events.getJobs(['waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed'])).filter(
    (j) => j.name === 'subscription.activated' && j.data.payload.subscriptionId === id,
  );
  expect(activated).toHaveLength(1);
  const grants = (stack.services['access-control']!.deps as { models: { assignments: { find(q: object): { lean(): Promise<unknown[]> } } } }).models.assignments;
  expect(await grants.find({ scope: `/customers/${IDS.customer}/subscriptions/${id}`, role: 'OWNER' }).lean()).toEqual([
    expect.objectContaining({ principalId: IDS.directGroup, source: 'PROVISIONING' }),
  ]);

  second.kill('SIGTERM');
  await exited(second);
  expect(second.exitCode).toBe(0);
});
