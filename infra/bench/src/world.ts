import type { Stack } from '@csp/testkit';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

async function eventually<T>(what: string, probe: () => Promise<T | undefined | null | false>, ms = 60_000): Promise<T> {
  const end = performance.now() + ms;
  let last = '';
  for (;;) {
    const v = await probe().catch((e) => void (last = String(e?.message ?? e)));
    if (v) return v;
    if (performance.now() > end) throw new Error(`${what}: timed out ${last}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function must(stack: Stack, what: string, query: string, vars: Record<string, unknown>, token?: string): Promise<Json> {
  const r = await stack.gql(query, vars, token);
  if (r.errors?.length || !r.data) throw new Error(`${what}: ${JSON.stringify(r.errors)}`);
  return r.data;
}

export interface BenchWorld {
  partnerToken: string;
  partnerId: string;
  customerIds: string[];
}

/** A direct provider in DE with `customers` customers, each with one Azure plan subscription. */
export async function buildBenchWorld(stack: Stack, customers: number): Promise<BenchWorld> {
  const op = await stack.operatorToken();
  const email = 'admin@bench-partner.example';
  const password = 'bench-password-1';
  const onboarded = await eventually('onboard a partner once identity knows DE', () =>
    must(
      stack,
      'onboard',
      'mutation ($input: OnboardPartnerInput!) { onboardPartner(input: $input) { partner { id } } }',
      { input: { name: 'Bench Partner', tier: 'DIRECT_PROVIDER', country: 'DE', adminEmail: email, adminPassword: password } },
      op,
    ),
  );
  const partnerId = onboarded.onboardPartner.partner.id as string;
  const partnerToken = (await must(stack, 'login', 'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: email, p: password })).login
    .accessToken as string;
  const customerIds: string[] = [];
  for (let i = 0; i < customers; i++) {
    const d = await must(
      stack,
      'create customer',
      'mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }',
      { input: { companyName: `Bench ${i}`, domain: `bench-${i}.example`, country: 'DE', adminEmail: `admin@bench-${i}.example`, adminPassword: 'customer-password-1' } },
      partnerToken,
    );
    customerIds.push(d.createCustomer.customer.id);
  }
  for (const [i, customerId] of customerIds.entries()) {
    await eventually(`order for customer ${i}`, () =>
      must(
        stack,
        'order',
        'mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } } }',
        { input: { customerId, idempotencyKey: `bench-${i}`, lineItems: [{ offerId: 'off_azure_plan', quantity: 1 }] } },
        partnerToken,
      ),
    );
  }
  return { partnerToken, partnerId, customerIds };
}
