import { errorCode, startStack, type Stack } from '@csp/testkit';
import type { RunningWorker } from '../src/worker-app';
import { eventually, order, startWorker, subDeps } from './helpers';

/**
 * The whole graph with the real identity, catalog, access-control and billing: a partner
 * onboarded and a customer created through the gateway, an Azure plan ordered from the seeded
 * catalog, provisioned by the worker, a service run for two days of test clock, and the
 * contract's Subscription query answering from all five subgraphs.
 */
let stack: Stack;
let worker: RunningWorker;
beforeAll(async () => {
  stack = await startStack('subinteg', { env: { PROVISIONING_BACKOFF_MS: '50' } });
  worker = await startWorker(stack);
}, 60_000);
afterAll(async () => {
  await worker?.stop();
  await stack?.stop();
});

const login = async (email: string, password: string) => (await stack.op('Login', { email, password })).data.login.accessToken as string;

it('order → provisioning → OWNER grant → services → usage, through the gateway', async () => {
  const op = await stack.operatorToken();
  const onboard = await stack.op(
    'OnboardPartner',
    { input: { name: 'Contoso Cloud', tier: 'DIRECT_PROVIDER', country: 'US', adminEmail: 'admin@contoso-cloud.example', adminPassword: 'partner-password-1' } },
    op,
  );
  expect(onboard.errors).toBeUndefined();
  const partnerId = onboard.data.onboardPartner.partner.id;
  const partner = await login('admin@contoso-cloud.example', 'partner-password-1');
  const created = await stack.op(
    'CreateCustomer',
    { input: { companyName: 'Fabrikam', domain: 'fabrikam-integ.example', country: 'US', adminEmail: 'admin@fabrikam-integ.example', adminPassword: 'customer-password-1' } },
    partner,
  );
  expect(created.errors).toBeUndefined();
  const customerId = created.data.createCustomer.customer.id;

  // Ordering learns partner, customer and catalog from their events.
  const rm = subDeps(stack).rm;
  await eventually(async () => (await rm.customers.exists({ _id: customerId, country: 'US' })) && (await rm.offers.exists({ _id: 'off_azure_plan' })) && (await rm.availability.exists({ _id: 'off_azure_plan' })) && (await rm.meters.exists({ _id: 'US:mtr_vm_d2s_v5' })), 30_000);

  const placed = await stack.op('PlaceOrder', order(customerId, 'integ-1', [{ offerId: 'off_azure_plan', quantity: 1, friendlyName: 'Production' }]), partner);
  expect(placed.errors).toBeUndefined();
  const id = placed.data.placeOrder.order.lineItems[0].subscription.id;

  const sub = await eventually(async () => {
    const r = await stack.op('Subscription', { id }, partner);
    const s = r.data?.subscription;
    return s?.status === 'ACTIVE' && s.roleAssignments.some((a: { role: string }) => a.role === 'OWNER') ? r : undefined;
  }, 30_000);
  expect(sub.errors).toBeUndefined();
  expect(sub.data.subscription).toMatchObject({
    id,
    status: 'ACTIVE',
    quantity: 1,
    friendlyName: 'Production',
    customer: { id: customerId, companyName: 'Fabrikam' },
    partner: { id: partnerId, name: 'Contoso Cloud' },
    offer: { id: 'off_azure_plan', name: 'Azure plan', billingType: 'USAGE' },
    provisioning: { state: 'COMPLETED', attempts: 1, failedReason: null },
  });
  expect(sub.data.subscription.history.map((h: { status: string }) => h.status)).toEqual(['PROVISIONING', 'ACTIVE']);
  expect(sub.data.subscription.roleAssignments.filter((a: { role: string }) => a.role === 'OWNER')).toHaveLength(1);

  // The partner (its admin-agents group is OWNER) runs a VM; the customer admin has no role yet.
  const c = await stack.op('CreateService', { subscriptionId: id, name: 'vm1', meterId: 'mtr_vm_d2s_v5' }, partner);
  expect(c.errors).toBeUndefined();
  const customer = await login('admin@fabrikam-integ.example', 'customer-password-1');
  expect(errorCode(await stack.op('StartService', { subscriptionId: id, name: 'vm1' }, customer))).toBe('FORBIDDEN');
  const started = await stack.op('StartService', { subscriptionId: id, name: 'vm1' }, partner);
  expect(started.data.startService.service.status).toBe('RUNNING');

  // Two days later the simulated cloud has reported usage and billing shows unbilled charges.
  const now = new Date((await stack.gql('{ clock { now } }', {}, op)).data.clock.now);
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 2, 1));
  expect((await stack.gql('mutation($to: DateTime!) { advanceClock(to: $to) { now } }', { to: to.toISOString() }, op)).errors).toBeUndefined();
  // Two day boundaries were crossed: two daily reports, each relayed to billing on its own. Wait
  // for billing to have rated both days (not merely the first), then for unbilledCharges to be
  // their exact sum: a read after only the first report is folded would see a smaller amount.
  const days = [0, 1].map((d) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + d)).toISOString().slice(0, 10));
  const rated = await eventually(async () => {
    const r = await stack.op('SubscriptionUsage', { id, from: days[0], to: days[1] }, partner);
    const u = r.data?.subscription?.usage;
    return u?.totalCount === 2 ? (u.edges as Array<{ node: { day: string; amount: { amount: string; currency: string } } }>).map((e) => e.node) : undefined;
  }, 30_000);
  expect(rated.map((n) => n.day)).toEqual(days);
  const sum = rated.reduce((a, n) => a + Math.round(Number(n.amount.amount) * 100), 0);
  expect(sum).toBeGreaterThan(0);
  const charged = await eventually(async () => {
    const r = await stack.op('Subscription', { id }, partner);
    const u = r.data?.subscription?.unbilledCharges;
    return u && Math.round(Number(u.amount) * 100) === sum ? u : undefined;
  }, 30_000);
  expect(charged.currency).toBe('USD');

  // One request over all five subgraphs: the customer with its subscriptions, roles and charges.
  const overview = await stack.op('CustomerOverview', { id: customerId }, partner);
  expect(overview.errors).toBeUndefined();
  const c360 = overview.data.customer;
  expect(c360).toMatchObject({ id: customerId, companyName: 'Fabrikam', country: 'US' });
  expect(c360.subscriptions.totalCount).toBe(1);
  expect(c360.subscriptions.edges[0].node).toMatchObject({
    id,
    status: 'ACTIVE',
    quantity: 1,
    friendlyName: 'Production',
    offer: { id: 'off_azure_plan', name: 'Azure plan', billingType: 'USAGE' },
    unbilledCharges: charged,
  });
  expect(c360.subscriptions.edges[0].node.roleAssignments.some((a: { role: string }) => a.role === 'OWNER')).toBe(true);
  // The customer's own admin holds no role on it yet: the subscription is not in its list.
  const own = await stack.op('CustomerOverview', { id: customerId }, customer);
  expect(own.errors).toBeUndefined();
  expect(own.data.customer.subscriptions.totalCount).toBe(0);
});
