import { startStack, type Stack } from '@csp/testkit';
import type { RunningSubgraph } from '@csp/kernel';
import { startSubscriptionWorker, type RunningWorker } from '@csp/svc-subscription/worker-app';
import type { BillingDeps } from '../src/deps';
import { startBillingWorker, type RunningBillingWorker } from '../src/worker-app';
import { waitFor } from './billing-fixtures';

/**
 * Billing on the real graph: identity, catalog (its seeded price list), subscription with its
 * provisioning worker, access-control and billing with its invoice worker. Facts reach billing
 * only as events; the contract's CustomerOverview and Subscription read billing's fields.
 */
let stack: Stack;
let subWorker: RunningWorker;
let billWorker: RunningBillingWorker;

beforeAll(async () => {
  stack = await startStack('billinteg', { env: { PROVISIONING_BACKOFF_MS: '50', BILLING_RUN_SETTLE_MS: '0' } });
  const base = { ...(stack.env as Record<string, string>), JWKS_URL: `${stack.identity.url}/.well-known/jwks.json` };
  subWorker = await startSubscriptionWorker({ ...base, MONGO_DB: `${stack.env.DB_PREFIX}_subscription`, USAGE_TRIGGER_POLL_MS: '500' }, true);
  billWorker = await startBillingWorker({ ...base, MONGO_DB: `${stack.env.DB_PREFIX}_billing` }, true);
}, 60_000);
afterAll(async () => {
  await billWorker?.stop();
  await subWorker?.stop();
  await stack?.stop();
});

const login = async (email: string, password: string) => (await stack.op('Login', { email, password })).data.login.accessToken as string;

it('order → licences accrue → month end → invoices, seen in CustomerOverview and Subscription', async () => {
  const op = await stack.operatorToken();
  const onboard = await stack.op('OnboardPartner', { input: { name: 'Litware Cloud', tier: 'DIRECT_PROVIDER', country: 'US', adminEmail: 'admin@litware.example', adminPassword: 'partner-password-1' } }, op);
  expect(onboard.errors).toBeUndefined();
  const partnerId = onboard.data.onboardPartner.partner.id;
  const partner = await login('admin@litware.example', 'partner-password-1');
  const created = await stack.op('CreateCustomer', { input: { companyName: 'Tailspin', domain: 'tailspin-bill.example', country: 'US', adminEmail: 'admin@tailspin-bill.example', adminPassword: 'customer-password-1' } }, partner);
  expect(created.errors).toBeUndefined();
  const customerId = created.data.createCustomer.customer.id;

  const billing = (stack.services.billing as RunningSubgraph<BillingDeps>).deps.models;
  await waitFor('billing read models', async () => (await billing.customers.exists({ _id: customerId })) && (await billing.offerPrices.exists({ offerId: 'off_o365_e3', market: 'US' })), 30_000);
  // The partner charges its customer 10 % over its own cost.
  expect((await stack.op('SetCustomerPricing', { customerId, markupPercent: '10' }, partner)).errors).toBeUndefined();

  const placed = await stack.op('PlaceOrder', { input: { customerId, idempotencyKey: 'bill-integ-1', lineItems: [{ offerId: 'off_o365_e3', quantity: 4 }] } }, partner);
  expect(placed.errors).toBeUndefined();
  const subId = placed.data.placeOrder.order.lineItems[0].subscription.id;
  const active = await waitFor('ACTIVE with licences accruing', async () => {
    const r = await stack.op('Subscription', { id: subId }, partner);
    // billing learns of the activation from its event, a moment after the subscription service
    const unbilled = r.data?.subscription?.unbilledCharges;
    return r.data?.subscription?.status === 'ACTIVE' && unbilled && unbilled.amount !== '0.00' ? r : undefined;
  }, 30_000);
  expect(active.errors).toBeUndefined();
  const now = new Date(Date.parse((await stack.op('Clock')).data.clock.now));
  const dim = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).getUTCDate();
  const daysLeft = dim - now.getUTCDate() + 1; // activation day to month end
  // 4 licences × 23.00 USD × days so far / days in month, vendor price for the partner of record
  const soFar = (4 * 2300 * 1) / dim; // one day (today) in cents
  expect(active.data.subscription.unbilledCharges).toEqual({ amount: (Math.round(soFar) / 100).toFixed(2), currency: 'USD' });

  const overview = await stack.op('CustomerOverview', { id: customerId }, partner);
  expect(overview.errors).toBeUndefined();
  expect(overview.data.customer.subscriptions.edges[0].node.unbilledCharges.currency).toBe('USD');
  expect(overview.data.customer.invoices.edges).toEqual([]);

  // Over the month end: the billing worker invoices the month that closed.
  const month = now.toISOString().slice(0, 7);
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1, 0, 0, 5));
  expect((await stack.op('AdvanceClock', { to: to.toISOString() }, op)).errors).toBeUndefined();
  const invoices = await waitFor('invoices', async () => {
    const r = await stack.op('Invoices', { period: month }, partner);
    return r.data?.invoices?.totalCount === 2 ? r.data.invoices.edges.map((e: { node: unknown }) => e.node) : undefined;
  }, 30_000);
  // Vendor → partner: 4 × 23.00 × daysLeft / dim; partner → customer: the same × 1.10 (rounded once each).
  const vendorCents = Math.round((4 * 2300 * daysLeft) / dim);
  const customerCents = Math.round((4 * 2530 * daysLeft) / dim);
  const byKind = Object.fromEntries(invoices.map((i: { kind: string }) => [i.kind, i]));
  expect(byKind.VENDOR_TO_PARTNER).toMatchObject({ billFrom: { id: 'vendor' }, billTo: { id: partnerId, name: 'Litware Cloud' }, total: { amount: (vendorCents / 100).toFixed(2), currency: 'USD' } });
  expect(byKind.PARTNER_TO_CUSTOMER).toMatchObject({ billFrom: { id: partnerId }, billTo: { id: customerId, name: 'Tailspin' }, total: { amount: (customerCents / 100).toFixed(2), currency: 'USD' } });

  const after = await stack.op('CustomerOverview', { id: customerId }, partner);
  expect(after.errors).toBeUndefined();
  expect(after.data.customer.invoices.edges.map((e: { node: { total: unknown; status: string } }) => [e.node.total, e.node.status])).toEqual([
    [{ amount: (customerCents / 100).toFixed(2), currency: 'USD' }, 'ISSUED'],
  ]);
  // The customer's own admin sees its invoice, not the vendor's.
  const customer = await login('admin@tailspin-bill.example', 'customer-password-1');
  const mine = await stack.op('Invoices', {}, customer);
  expect(mine.data.invoices.edges.map((e: { node: { kind: string } }) => e.node.kind)).toEqual(['PARTNER_TO_CUSTOMER']);
}, 120_000);
