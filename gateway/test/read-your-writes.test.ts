import { startSubscriptionWorker } from '@csp/svc-subscription/worker-app';
import { eventually, startStack, type Stack } from '@csp/testkit';

/**
 * A write acknowledged to a client is visible to that client's next request on every subgraph:
 * two steps in one click, with no sleep and no retry in between. The second step is served by
 * another subgraph than the first, which learns of the first only through events.
 */
let stack: Stack;
let partner: string;
let operator: string;
let worker: { stop(): Promise<void> } | undefined;
const tag = Math.random().toString(36).slice(2, 8);
const PAIRS = 20;

beforeAll(async () => {
  stack = await startStack('ryw', { env: { PROVISIONING_BACKOFF_MS: '50' } });
  operator = await stack.operatorToken();
  const email = `admin.ryw.${tag}@partners.example`;
  const onboard = await stack.op('OnboardPartner', { input: { name: `RYW ${tag}`, tier: 'DIRECT_PROVIDER', country: 'DE', adminEmail: email, adminPassword: 'ryw-partner-password-1' } }, operator);
  expect(onboard.errors).toBeUndefined();
  partner = (await stack.op('Login', { email, password: 'ryw-partner-password-1' })).data.login.accessToken;
  const env = { ...(stack.env as Record<string, string>), JWKS_URL: `${stack.identity.url}/.well-known/jwks.json`, MONGO_DB: `${stack.env.DB_PREFIX}_subscription` };
  worker = await startSubscriptionWorker({ ...env, PROVISIONING_BACKOFF_MS: '50' }, true);
}, 60_000);
afterAll(async () => {
  await worker?.stop();
  await stack?.stop();
});

it(`createCustomer then placeOrder at once, ${PAIRS} times: never NOT_FOUND`, async () => {
  const failures: unknown[] = [];
  for (let i = 0; i < PAIRS; i++) {
    const domain = `ryw-${i}-${tag}.example`;
    const created = await stack.op(
      'CreateCustomer',
      { input: { companyName: `RYW ${i} ${tag}`, domain, country: 'DE', adminEmail: `admin@${domain}`, adminPassword: 'ryw-customer-password-1' } },
      partner,
    );
    expect(created.errors).toBeUndefined();
    const order = await stack.op(
      'PlaceOrder',
      { input: { customerId: created.data.createCustomer.customer.id, idempotencyKey: `ryw-${i}-${tag}`, lineItems: [{ offerId: 'off_azure_plan', quantity: 1 }] } },
      partner,
    );
    if (order.errors) failures.push({ i, errors: order.errors });
  }
  expect(failures).toEqual([]);
}, 120_000);

it('order → ACTIVE → createService, then createSecurityGroup → grantRole at once: never FORBIDDEN or NOT_FOUND', async () => {
  const domain = `ryw-g-${tag}.example`;
  const created = await stack.op(
    'CreateCustomer',
    { input: { companyName: `RYW G ${tag}`, domain, country: 'DE', adminEmail: `admin@${domain}`, adminPassword: 'ryw-customer-password-1' } },
    partner,
  );
  const customerId = created.data.createCustomer.customer.id;
  const order = await stack.op('PlaceOrder', { input: { customerId, idempotencyKey: `ryw-g-${tag}`, lineItems: [{ offerId: 'off_azure_plan', quantity: 1 }] } }, partner);
  expect(order.errors).toBeUndefined();
  const subscriptionId = order.data.placeOrder.order.lineItems[0].subscription.id;
  // Reported ACTIVE means usable: the partner's OWNER grant is in force the moment it says so.
  await eventually(async () => (await stack.op('Subscription', { id: subscriptionId }, partner)).data?.subscription?.status === 'ACTIVE', 60_000);
  const service = await stack.op('CreateService', { subscriptionId, name: `ryw-web-${tag}`, meterId: 'mtr_vm_b2s' }, partner);
  expect(service.errors).toBeUndefined();

  const failures: unknown[] = [];
  for (let i = 0; i < 5; i++) {
    const group = await stack.op('CreateSecurityGroup', { name: `RYW group ${i} ${tag}` }, partner);
    expect(group.errors).toBeUndefined();
    const grant = await stack.op(
      'GrantRole',
      { input: { principalId: group.data.createSecurityGroup.group.id, role: 'READER', scope: `/customers/${customerId}/subscriptions/${subscriptionId}` } },
      partner,
    );
    if (grant.errors) failures.push({ i, errors: grant.errors });
  }
  expect(failures).toEqual([]);
}, 120_000);
