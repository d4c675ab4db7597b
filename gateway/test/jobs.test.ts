import { errorCode, startStack, type Stack } from '@csp/testkit';
import { failingJob, type FailingJob } from './failing-job';
import { createCustomer, onboardPartner, seedMarkets, until } from '../../services/identity/test/identity-fixtures';

let stack: Stack;
let job: FailingJob;
const QUEUE = 'jobs-demo';

beforeAll(async () => {
  stack = await startStack('jobs', { services: ['identity'] });
  job = await failingJob(stack, QUEUE, 'provision-sub_1', 'cloud said no');
});

afterAll(async () => {
  await job?.close();
  await stack?.stop();
});

describe('jobs in the graph (jobs.graphql)', () => {
  it('Queues lists every queue with counts per state', async () => {
    const r = await stack.op('Queues', {}, await stack.operatorToken());
    expect(r.errors).toBeUndefined();
    const demo = r.data.queues.find((q: { name: string }) => q.name === QUEUE);
    expect(demo.counts).toEqual({ waiting: 0, active: 0, completed: 0, failed: 1, delayed: 0 });
  });

  it('Jobs shows a failed job with attempts, reason and times; RetryJob runs it again', async () => {
    const token = await stack.operatorToken();
    const failed = await stack.op('Jobs', { queue: QUEUE, state: 'FAILED', first: 10 }, token);
    expect(failed.data.jobs).toEqual([
      expect.objectContaining({ id: 'provision-sub_1', name: 'provision', attempts: 1, failedReason: 'cloud said no', createdAt: expect.any(String), finishedAt: expect.any(String) }),
    ]);
    const retried = await stack.op('RetryJob', { queue: QUEUE, id: 'provision-sub_1' }, token);
    expect(retried.data.retryJob.id).toBe('provision-sub_1');
    await until('the retried job to complete', async () => (await job.queue.getJobCounts('completed')).completed === 1);
    const done = await stack.op('Jobs', { queue: QUEUE, state: 'COMPLETED' }, token);
    expect(done.data.jobs.map((j: { id: string }) => j.id)).toEqual(['provision-sub_1']);
  });

  it('refuses everyone but the operator, and names unknown queues and jobs NOT_FOUND', async () => {
    const partner = await stack.mint({ userId: 'usr_p', kind: 'PARTNER_USER', partnerId: 'ptn_p' });
    expect(errorCode(await stack.op('Queues', {}, partner))).toBe('FORBIDDEN');
    expect(errorCode(await stack.op('RetryJob', { queue: QUEUE, id: 'provision-sub_1' }, partner))).toBe('FORBIDDEN');
    expect(errorCode(await stack.op('Queues'))).toBe('UNAUTHENTICATED');
    const token = await stack.operatorToken();
    expect(errorCode(await stack.op('Jobs', { queue: 'no-such-queue', state: 'FAILED' }, token))).toBe('NOT_FOUND');
    expect(errorCode(await stack.op('RetryJob', { queue: QUEUE, id: 'nope' }, token))).toBe('NOT_FOUND');
  });
});

describe('audit records (AuditRecords)', () => {
  it("the operator reads all; a partner its own and its customers'; another partner none of them", async () => {
    await seedMarkets(stack);
    const a = await onboardPartner(stack, { tier: 'DIRECT_PROVIDER', country: 'DE' });
    const b = await onboardPartner(stack, { tier: 'DIRECT_PROVIDER', country: 'DE' });
    const since = new Date(Date.parse((await stack.op('Clock')).data.clock.now) - 60_000).toISOString();
    const customer = await createCustomer(stack, a.token, { country: 'DE' });

    const actions = async (token: string, vars: Record<string, unknown> = {}) => {
      const r = await stack.op('AuditRecords', { first: 100, since, ...vars }, token);
      expect(r.errors).toBeUndefined();
      return r.data.auditRecords.edges.map((e: { node: { action: string; targetId: string; actor: { id: string } } }) => e.node);
    };
    const op = await until('the audit log to gather the records', async () => {
      const all = await actions(await stack.operatorToken());
      return all.some((n: { action: string }) => n.action === 'identity.createCustomer') && all;
    });
    expect(op.map((n: { action: string }) => n.action)).toEqual(expect.arrayContaining(['identity.onboardPartner', 'identity.createCustomer']));

    const mine = await actions(a.token);
    expect(mine).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'identity.createCustomer', actor: { id: a.userId } })]));
    expect(mine.every((n: { actor: { id: string } }) => n.actor.id !== b.userId)).toBe(true);
    expect(await actions(b.token)).toEqual([]);
    // The customer's admin reads what was done in its tenant, including by its partner.
    const ofCustomer = await actions(customer.token, { targetId: customer.id });
    expect(ofCustomer.map((n: { action: string }) => n.action)).toContain('identity.createCustomer');

    const byTarget = await actions(await stack.operatorToken(), { targetId: a.id });
    expect(byTarget.length).toBeGreaterThan(0);
    expect(byTarget.every((n: { targetId: string }) => n.targetId === a.id)).toBe(true);
  });
});
