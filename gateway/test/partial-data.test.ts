import { contractOperation, eventually, graphql, OPERATOR, startProcesses, type ProcessStack } from '@csp/testkit';

/**
 * No partial data lost when billing is slow (issue 17): with the billing process paused
 * (SIGSTOP) for 15 s, CustomerOverview still answers its identity and subscription fields,
 * the billing ones are null with SERVICE_UNAVAILABLE, within the gateway's timeout; after
 * SIGCONT it recovers by itself. Real processes, as `make up` runs them.
 */
const TIMEOUT_MS = 2_000;
let ps: ProcessStack;
let partnerToken: string;
let customerId: string;

const op = (name: string, variables: Record<string, unknown>, token?: string) => graphql(ps.gatewayUrl, contractOperation(name).source, variables, { token });

beforeAll(async () => {
  ps = await startProcesses('partial', { env: { SUBGRAPH_TIMEOUT_MS: String(TIMEOUT_MS), PROVISIONING_BACKOFF_MS: '100', LOG_LEVEL: 'warn' } });
  const operator = (await op('Login', OPERATOR)).data.login.accessToken as string;
  const partner = { adminEmail: `partial-partner@${Date.now()}.example`, adminPassword: 'partner-password-1' };
  const onboarded = await op('OnboardPartner', { input: { name: 'Partial Partner', tier: 'DIRECT_PROVIDER', country: 'DE', ...partner } }, operator);
  expect(onboarded.errors).toBeUndefined();
  partnerToken = (await op('Login', { email: partner.adminEmail, password: partner.adminPassword })).data.login.accessToken;
  const created = await op(
    'CreateCustomer',
    { input: { companyName: 'Partial Customer', domain: `partial${Date.now()}.example`, country: 'DE', adminEmail: `admin@partial${Date.now()}.example`, adminPassword: 'customer-password-1' } },
    partnerToken,
  );
  expect(created.errors).toBeUndefined();
  customerId = created.data.createCustomer.customer.id;
  const offers = await graphql(ps.gatewayUrl, '{ offers(country: "DE", first: 50) { edges { node { id billingType } } } }', {}, { token: partnerToken });
  const licence = offers.data.offers.edges.map((e: { node: { id: string; billingType: string } }) => e.node).find((o: { billingType: string }) => o.billingType === 'LICENSE');
  const order = await op('PlaceOrder', { input: { customerId, idempotencyKey: 'partial-1', lineItems: [{ offerId: licence.id, quantity: 2 }] } }, partnerToken);
  expect(order.errors).toBeUndefined();
  // Billing knows the customer (read model) before we pause it.
  await eventually(async () => {
    const r = await op('CustomerOverview', { id: customerId }, partnerToken);
    return !r.errors && r.data.customer.subscriptions.totalCount === 1 && r.data.customer.invoices;
  }, 30_000, 'the customer overview answered in full');
}, 180_000);

afterAll(async () => {
  ps?.signal('billing#1', 'SIGCONT');
  await ps?.stop();
});

it('answers identity and subscription fields while billing is paused, and recovers after SIGCONT', async () => {
  ps.signal('billing#1', 'SIGSTOP');
  const pausedAt = performance.now();
  try {
    for (let i = 0; i < 2; i++) {
      const started = performance.now();
      const r = await op('CustomerOverview', { id: customerId }, partnerToken);
      expect(performance.now() - started).toBeLessThan(TIMEOUT_MS + 3_000);
      expect(r.data?.customer).toMatchObject({ id: customerId, companyName: 'Partial Customer', country: 'DE', invoices: null });
      expect(r.data.customer.users.length).toBeGreaterThan(0);
      expect(r.data.customer.subscriptions.totalCount).toBe(1);
      const sub = r.data.customer.subscriptions.edges[0].node;
      expect(sub).toMatchObject({ quantity: 2, unbilledCharges: null });
      expect(sub.status).toEqual(expect.any(String));
      expect(r.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
      expect(r.errors?.every((e: { extensions?: { code?: string } }) => e.extensions?.code === 'SERVICE_UNAVAILABLE')).toBe(true);
    }
    // Keep it paused for the whole 15 s of the probe.
    await new Promise((r) => setTimeout(r, Math.max(0, 15_000 - (performance.now() - pausedAt))));
  } finally {
    ps.signal('billing#1', 'SIGCONT');
  }
  await eventually(async () => {
    const r = await op('CustomerOverview', { id: customerId }, partnerToken);
    return !r.errors && r.data.customer.invoices && r.data.customer.subscriptions.edges[0].node.unbilledCharges !== undefined;
  }, 20_000, 'the overview answered in full again');
}, 60_000);
