import type { ChildProcess } from 'node:child_process';
import { startStack, type Stack } from '@csp/testkit';
import { provisionJobId } from '../src/provisioning/provisioning.queue';
import { eventually, exited, IDS, order, partnerToken, seedFacts, SUB_QUERY, spawnWorkerProcess, subDeps } from './helpers';

/**
 * The provisioning worker as its own process (dist/worker.js, built by `make test` before jest):
 * killed with SIGKILL while the cloud call is in flight, then started again.
 */
let stack: Stack;
const children: ChildProcess[] = [];

const spawnWorker = (extra: Record<string, string> = {}) => spawnWorkerProcess(stack, children, extra);

beforeAll(async () => {
  stack = await startStack('subcrash', { services: ['subscription', 'access-control'], env: { PROVISIONING_BACKOFF_MS: '100' } });
  await seedFacts(stack);
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await stack?.stop();
});

it('a worker killed mid-provisioning and restarted leaves exactly one cloud subscription and one OWNER grant', async () => {
  const partner = await partnerToken(stack, IDS.direct, IDS.directGroup);
  // The cloud creates the subscription at once but answers only after 20 s: the kill lands in between.
  const first = spawnWorker({ SIM_CLOUD_LATENCY_MS: '20000' });
  const r = await stack.op('PlaceOrder', order(IDS.customer, 'crash-1', [{ offerId: IDS.azure, quantity: 1 }]), partner);
  expect(r.errors).toBeUndefined();
  const id: string = r.data.placeOrder.order.lineItems[0].subscription.id;
  const d = subDeps(stack);
  await eventually(async () => (await d.models.clouds.countDocuments({ subscriptionId: id })) === 1, 30_000);
  await expect((await d.queue.getJob(provisionJobId(id)))!.getState()).resolves.toBe('active');
  // The graph shows the job live: running, nothing failed yet.
  const live = await stack.gql(SUB_QUERY, { id }, partner);
  expect(live.data.subscription).toMatchObject({ status: 'PROVISIONING', provisioning: { state: 'ACTIVE', attempts: 0, failedReason: null } });

  first.kill('SIGKILL');
  await exited(first);
  expect((await d.models.subscriptions.findById(id).lean())!.status).toBe('PROVISIONING');

  // A fresh worker finds the stalled job (its lock expires), runs it again, and the cloud create
  // finds the cloud subscription the dead worker made.
  const second = spawnWorker({ SIM_CLOUD_LATENCY_MS: '0' });
  await eventually(async () => (await d.models.subscriptions.findById(id).lean())?.status === 'ACTIVE', 40_000);
  expect(await d.models.clouds.countDocuments({ subscriptionId: id })).toBe(1);
  const sub = (await d.models.subscriptions.findById(id).lean())!;
  expect(sub.history.filter((h) => h.status === 'ACTIVE')).toHaveLength(1);

  // access-control holds one OWNER grant for the partner's admin-agents group, however often the job ran.
  const owners = await eventually(async () => {
    const s = await stack.gql(`query($id: ID!) { subscription(id: $id) { roleAssignments { role scope principal { id } } } }`, { id }, partner);
    const list = (s.data?.subscription?.roleAssignments ?? []).filter((a: { role: string }) => a.role === 'OWNER');
    return list.length ? list : undefined;
  }, 20_000);
  await new Promise((res) => setTimeout(res, 1000));
  const s = await stack.gql(`query($id: ID!) { subscription(id: $id) { roleAssignments { role scope principal { id } } provisioning { state attempts } } }`, { id }, partner);
  expect(s.data.subscription.roleAssignments.filter((a: { role: string }) => a.role === 'OWNER')).toEqual(owners);
  expect(owners).toEqual([{ role: 'OWNER', scope: `/customers/${IDS.customer}/subscriptions/${id}`, principal: { id: IDS.directGroup } }]);
  expect(s.data.subscription.provisioning.state).toBe('COMPLETED');

  second.kill('SIGTERM');
  await exited(second);
  expect(second.exitCode).toBe(0);
});
