import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { startStack, REPO_ROOT, type Stack } from '@csp/testkit';
import { eventually, IDS, order, partnerToken, seedFacts, subDeps, workerEnv } from '../../services/subscription/test/helpers';

/**
 * Scaling without double work: two provisioning worker processes share one queue; every
 * subscription is provisioned once, gets one cloud subscription and one OWNER grant.
 */
const WORKER = path.join(REPO_ROOT, 'services/subscription/dist/worker.js');
let stack: Stack;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  stack = await startStack('replicas', { services: ['subscription', 'access-control'], env: { PROVISIONING_BACKOFF_MS: '100' } });
  await seedFacts(stack);
  for (let i = 0; i < 2; i++) {
    // Some latency so both workers hold jobs at the same time.
    workers.push(spawn(process.execPath, [WORKER], { env: { ...workerEnv(stack, { SIM_CLOUD_LATENCY_MS: '150' }), LOG_LEVEL: 'warn' }, stdio: 'ignore' }));
  }
});
afterAll(async () => {
  for (const w of workers) w.kill('SIGTERM');
  await stack?.stop();
});

it('two provisioning workers together provision each subscription exactly once', async () => {
  const partner = await partnerToken(stack, IDS.direct, IDS.directGroup);
  const ids: string[] = [];
  for (let i = 0; i < 8; i++) {
    const r = await stack.op('PlaceOrder', order(IDS.customer, `replica-${i}`, [{ offerId: IDS.azure, quantity: 1 }]), partner);
    expect(r.errors).toBeUndefined();
    ids.push(r.data.placeOrder.order.lineItems[0].subscription.id);
  }
  const d = subDeps(stack);
  await eventually(async () => (await d.models.subscriptions.countDocuments({ _id: { $in: ids }, status: 'ACTIVE' })) === ids.length, 60_000);

  for (const id of ids) {
    expect(await d.models.clouds.countDocuments({ subscriptionId: id })).toBe(1);
    const sub = (await d.models.subscriptions.findById(id).lean())!;
    expect(sub.history.filter((h) => h.status === 'ACTIVE')).toHaveLength(1);
  }
  // One completed provisioning job per subscription: no job ran to completion twice.
  const jobs = await d.queue.getJobs(['completed'], 0, 100);
  expect(jobs.filter((j) => ids.some((id) => j.id?.includes(id)))).toHaveLength(ids.length);

  const owners = await eventually(async () => {
    const counts = await Promise.all(
      ids.map(async (id) => {
        const s = await stack.gql('query ($id: ID!) { subscription(id: $id) { roleAssignments { role } } }', { id }, partner);
        return (s.data?.subscription?.roleAssignments ?? []).filter((a: { role: string }) => a.role === 'OWNER').length;
      }),
    );
    return counts.every((c) => c >= 1) && counts;
  }, 30_000);
  expect(owners).toEqual(ids.map(() => 1));
});
