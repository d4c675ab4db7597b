import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { armCrashPoint } from '@csp/kernel';
import { errorCode } from '@csp/testkit';
import { seedWorld, startBillingStack, subFact, W, waitFor, waitForFacts, type BillingStack } from './billing-fixtures';

/**
 * Spending budgets: usage crossing 50, 90 and 100 % arrives in shuffled batches (days out of
 * order) while two billing worker replicas check budgets side by side; each threshold raises
 * exactly one alert (an event and a line in the graph) in the month.
 */
let s: BillingStack;
let op: string;
let partner: string;
// The partner's webhook receiver: budget alerts reach it through identity's webhooks.
const received: Array<{ type: string; data: { objectId: string; thresholdPercent: number } }> = [];
const receiver = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    received.push(JSON.parse(body));
    res.writeHead(200).end();
  });
});
const SUB = 'sub_budget1';
const budgetQuery = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Customer { id
  spendingBudget { amount { amount currency } spent { amount currency } thresholdsPercent month alerts { thresholdPercent crossedAt month } } } } }`;

const budgetAs = async (token: string) => {
  const r = await s.subgraph(budgetQuery, { reps: [{ __typename: 'Customer', id: W.c1 }] }, token);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data._entities[0].spendingBudget;
};

beforeAll(async () => {
  s = await startBillingStack('billbudget');
  op = await s.operatorToken();
  partner = await s.mint({ userId: 'usr_bp', kind: 'PARTNER_USER', partnerId: W.direct });
  await seedWorld(s);
  await subFact(s, 'activated', { subscriptionId: SUB, customerId: W.c1, partnerId: W.direct, offerId: W.azure, billingType: 'USAGE', quantity: 1, at: '2026-10-20T09:00:00.000Z' });
  await waitForFacts(s, 1);
  await s.startWorker({ BILLING_WORKER_CONCURRENCY: '2' });
  await s.startWorker({ BILLING_WORKER_CONCURRENCY: '2' });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hook = await s.op('CreateWebhookEndpoint', { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/budget`, eventTypes: ['budget.thresholdCrossed'] }, partner);
  expect(hook.errors).toBeUndefined();
}, 60_000);
afterAll(async () => {
  await s?.stop();
  await new Promise((r) => receiver.close(r));
});

it('only the customer’s partner sets a budget; others get NOT_FOUND, bad amounts a clear error', async () => {
  const rival = await s.mint({ userId: 'usr_rv', kind: 'PARTNER_USER', partnerId: W.other });
  const vars = { customerId: W.c1, amount: { amount: '10.00', currency: 'EUR' }, thresholdsPercent: [100, 50, 90] };
  expect(errorCode(await s.op('SetSpendingBudget', vars, rival))).toBe('NOT_FOUND');
  expect(errorCode(await s.op('SetSpendingBudget', { ...vars, customerId: 'cus_nobody' }, partner))).toBe('NOT_FOUND');
  const zero = await s.op('SetSpendingBudget', { ...vars, amount: { amount: '0', currency: 'EUR' } }, partner);
  expect(errorCode(zero)).toBe('BAD_USER_INPUT');
  expect(errorCode(await s.op('SetSpendingBudget', { ...vars, thresholdsPercent: [0] }, partner))).toBe('BAD_USER_INPUT');
  const r = await s.op('SetSpendingBudget', vars, partner);
  expect(r.errors).toBeUndefined();
  expect(r.data.setSpendingBudget.budget).toEqual({ amount: { amount: '10.00', currency: 'EUR' }, thresholdsPercent: [50, 90, 100], spent: { amount: '0.00', currency: 'EUR' } });
  expect(await budgetAs(rival)).toBeNull();
  const admin = await s.mint({ userId: 'usr_ca', kind: 'CUSTOMER_USER', customerId: W.c1, roles: ['ADMIN'] });
  const plain = await s.mint({ userId: 'usr_cu', kind: 'CUSTOMER_USER', customerId: W.c1, roles: ['USER'] });
  expect((await budgetAs(admin)).amount).toEqual({ amount: '10.00', currency: 'EUR' });
  expect(await budgetAs(plain)).toBeNull();
});

it('usage crossing 50/90/100 % in shuffled batches raises three alerts, each once, with two worker replicas', async () => {
  // 12 batches of 50 GB storage at 0.02 EUR (1.00 EUR each) on shuffled November days: 12.00 EUR of a 10.00 budget.
  const batches = Array.from({ length: 12 }, (_, i) => [
    { recordId: `b-${i}-a`, subscriptionId: SUB, meterId: W.meter2, quantity: '20', usageDate: `2026-11-${String(15 - i).padStart(2, '0')}` },
    { recordId: `b-${i}-b`, subscriptionId: SUB, meterId: W.meter2, quantity: '30', usageDate: `2026-11-${String(1 + ((i * 7) % 15)).padStart(2, '0')}` },
  ]);
  const order = [7, 2, 11, 0, 5, 9, 3, 10, 1, 6, 8, 4];
  let hour = 9;
  const sent = [];
  for (const i of order) sent.push(s.op('RecordUsage', { records: batches[i] }, op));
  // Batches land concurrently, so budget checks run concurrently on both replicas.
  for (const r of await Promise.all(sent)) expect(r.data.recordUsage.accepted).toBe(2);
  // A re-sent batch (duplicates) and a later clock: no new alert.
  await s.op('AdvanceClock', { to: `2026-11-16T${++hour}:00:00.000Z` }, op);
  await s.op('RecordUsage', { records: batches[3] }, op);
  const m = s.billing.deps.models;
  await waitFor('budget checks drained', async () => {
    const c = await s.billing.deps.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return Object.values(c).every((n) => n === 0) && (await m.budgetAlerts.countDocuments()) === 3;
  });
  const alerts = await m.budgetAlerts.find({}).sort({ thresholdPercent: 1 }).lean();
  expect(alerts.map((a) => [a.thresholdPercent, a.month])).toEqual([[50, '2026-11'], [90, '2026-11'], [100, '2026-11']]);
  // Each alert's event left its outbox once (the relay's job id is the event id).
  await waitFor('alert events relayed', async () => (await m.budgetAlerts.countDocuments({ 'outbox.0': { $exists: true } })) === 0);
  const b = await budgetAs(partner);
  expect(b.spent).toEqual({ amount: '12.00', currency: 'EUR' });
  expect(b.alerts.map((a: { thresholdPercent: number }) => a.thresholdPercent)).toEqual([50, 90, 100]);
  // Both replicas did budget work (jobs were shared, not serialised on one).
  const budgetJobs = await s.billing.deps.queue.getJobs(['completed'], 0, 1000);
  expect(budgetJobs.filter((j) => j.name === 'budget').length).toBeGreaterThanOrEqual(12);
  // The partner's webhook received each alert once.
  await waitFor('three budget webhooks', async () => received.length >= 3);
  expect(received.map((r) => [r.type, r.data.objectId, r.data.thresholdPercent]).sort()).toEqual([
    ['budget.thresholdCrossed', W.c1, 100],
    ['budget.thresholdCrossed', W.c1, 50],
    ['budget.thresholdCrossed', W.c1, 90],
  ]);
});

it('a new month starts without alerts', async () => {
  await s.op('AdvanceClock', { to: '2026-12-02T09:00:00.000Z' }, op);
  const b = await budgetAs(partner);
  expect(b.month).toBe('2026-12');
  expect(b.alerts).toEqual([]);
  expect(b.spent).toEqual({ amount: '0.00', currency: 'EUR' });
});

it('a batch whose request died right after its rows were stored, sent again: rows stored once, the crossed threshold still alerted once', async () => {
  const rows = [{ recordId: 'crash-dec-1', subscriptionId: SUB, meterId: W.meter2, quantity: '300', usageDate: '2026-12-01' }];
  armCrashPoint('usage.inserted');
  const died = await s.op('RecordUsage', { records: rows }, op);
  expect(died.errors).toBeDefined(); // the client never heard back: it sends the batch again
  const again = await s.op('RecordUsage', { records: rows }, op);
  expect(again.data.recordUsage).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
  const m = s.billing.deps.models;
  expect(await m.usage.countDocuments({ recordId: 'crash-dec-1' })).toBe(1);
  // 300 GB × 0.02 = 6.00 EUR of a 10.00 budget: the 50 % alert, raised by the replay's check.
  await waitFor('the 50 % alert of December', async () => (await m.budgetAlerts.countDocuments({ month: '2026-12' })) === 1);
  const b = await budgetAs(partner);
  expect(b.spent).toEqual({ amount: '6.00', currency: 'EUR' });
  expect(b.alerts.map((a: { thresholdPercent: number }) => a.thresholdPercent)).toEqual([50]);
});
