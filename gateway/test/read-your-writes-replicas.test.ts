import { contractOperation, graphql, OPERATOR, startProcesses, type GraphQLResponse, type ProcessStack } from '@csp/testkit';

/**
 * Issue 16's acceptance: through the gateway, 200 write-then-dependent-request pairs with no
 * sleep in between answer neither NOT_FOUND nor FORBIDDEN, against separate processes with two
 * replicas of access-control and of subscription behind a round-robin proxy, so a client's
 * write and its next request (and subscription's decisions) land on different replicas.
 */
const PER_KIND = 50;
const CONCURRENCY = 4;
const AZURE = 'off_azure_plan';
const METER = 'mtr_vm_d2s_v5';
const tag = Math.random().toString(36).slice(2, 8);
/**
 * RYW_GATEWAY_URL (with OPERATOR_EMAIL/OPERATOR_PASSWORD) points the same pairs at a running
 * `REPLICAS="access-control=2 subscription=2" make up` instead of processes this file starts.
 */
const external = process.env.RYW_GATEWAY_URL;
let gatewayUrl: string;

let ps: ProcessStack;
/** Every response the pairs got, by kind: what the counts are taken over. */
const responses: Array<{ kind: string; step: string; r: GraphQLResponse }> = [];
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const op = async (kind: string, step: string, name: string, variables: Record<string, unknown>, token?: string) => {
  const r = await graphql(gatewayUrl, contractOperation(name).source, variables, { token });
  responses.push({ kind, step, r });
  return r;
};
/** A setup step that must succeed (not counted: it is not one of the pairs). */
const must = async (name: string, variables: Record<string, unknown>, token?: string): Promise<Json> => {
  const r = await graphql(gatewayUrl, contractOperation(name).source, variables, { token });
  if (r.errors?.length || !r.data) throw new Error(`setup ${name}: ${JSON.stringify(r.errors ?? r.status)}`);
  return r.data;
};
const login = async (email: string, password: string) => (await must('Login', { email, password })).login.accessToken as string;

/** Runs `n` tasks, `limit` at a time. */
async function pool(n: number, limit: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < n) await task(next++);
  }));
}

interface Partner { id: string; token: string }
const partners: Record<'groups' | 'orders' | 'manage' | 'reader' | 'seller', Partner> = {} as never;
let operator: string;

async function onboard(key: string): Promise<Partner> {
  const email = `admin.${key}.${tag}@ryw-replicas.example`;
  const password = `${key}-ryw-password-1`;
  const d = await must('OnboardPartner', { input: { name: `RYW ${key} ${tag}`, tier: 'DIRECT_PROVIDER', country: 'DE', adminEmail: email, adminPassword: password } }, operator);
  return { id: d.onboardPartner.partner.id, token: await login(email, password) };
}

async function createCustomer(partner: Partner, key: string, kind?: string) {
  const domain = `ryw-${key}-${tag}.example`;
  const input = { companyName: `RYW ${key} ${tag}`, domain, country: 'DE', adminEmail: `admin@${domain}`, adminPassword: 'ryw-customer-password-1' };
  const r = kind ? await op(kind, 'createCustomer', 'CreateCustomer', { input }, partner.token) : { data: await must('CreateCustomer', { input }, partner.token) };
  const c = r.data?.createCustomer;
  return c ? { id: c.customer.id as string, adminId: c.adminUser.id as string, domain, email: input.adminEmail, password: input.adminPassword } : undefined;
}

/** Polls the subscription (each poll a counted response) until ACTIVE: no sleep, a condition. */
async function untilActive(kind: string, id: string, token: string): Promise<boolean> {
  const deadline = performance.now() + 60_000;
  while (performance.now() < deadline) {
    const r = await op(kind, 'poll', 'Subscription', { id }, token);
    const status = r.data?.subscription?.status;
    if (status === 'ACTIVE') return true;
    if (r.errors || status !== 'PROVISIONING') return false;
    await new Promise((res) => setTimeout(res, 50)); // between polls of a condition, not between write and read
  }
  return false;
}

// The ACTIVE subscription the group→grant pairs grant on.
let grantScope: string;
// The customers the accept→read pairs accept for, each with a pending request's code.
const accepting: Array<{ id: string; token: string; code: string }> = [];

beforeAll(async () => {
  if (external) {
    gatewayUrl = external;
    operator = await login(process.env.OPERATOR_EMAIL ?? 'operator@vendor.example', process.env.OPERATOR_PASSWORD ?? 'operator-password-change-me');
  } else {
    ps = await startProcesses('ryw-replicas', {
      replicas: { 'access-control': 2, subscription: 2 },
      env: { PROVISIONING_BACKOFF_MS: '50', LOG_LEVEL: 'warn' },
    });
    gatewayUrl = ps.gatewayUrl;
    operator = await login(OPERATOR.email, OPERATOR.password);
  }
  const keys = ['groups', 'orders', 'manage', 'reader', 'seller'] as const;
  const onboarded = await Promise.all(keys.map((k) => onboard(k)));
  keys.forEach((k, i) => (partners[k] = onboarded[i]));

  // Setup waits by retrying until the graph has caught up: only the pairs must not need it.
  const retry = async <T>(what: string, fn: () => Promise<T | undefined>): Promise<T> => {
    const deadline = performance.now() + 60_000;
    for (;;) {
      const v = await fn().catch(() => undefined);
      if (v) return v;
      if (performance.now() > deadline) throw new Error(`setup: ${what} timed out`);
      await new Promise((res) => setTimeout(res, 200));
    }
  };
  const c = (await createCustomer(partners.groups, 'grants'))!;
  const subscriptionId = await retry('the grant subscription', async () => {
    const r = await graphql(gatewayUrl, contractOperation('PlaceOrder').source, { input: { customerId: c.id, idempotencyKey: `grants-${tag}`, lineItems: [{ offerId: AZURE, quantity: 1 }] } }, { token: partners.groups.token });
    return r.data?.placeOrder?.order.lineItems[0].subscription.id as string | undefined;
  });
  grantScope = `/customers/${c.id}/subscriptions/${subscriptionId}`;
  await retry('the grant subscription ACTIVE with its OWNER grant', async () => {
    const s = (await graphql(gatewayUrl, contractOperation('Subscription').source, { id: subscriptionId }, { token: partners.groups.token })).data?.subscription;
    return s?.status === 'ACTIVE' && s.roleAssignments.some((a: Json) => a.role === 'OWNER');
  });

  // Customers of another partner, each asked by the reader partner for a relationship.
  await pool(PER_KIND, 2 * CONCURRENCY, async (i) => {
    const cust = (await createCustomer(partners.seller, `accept-${i}`))!;
    const token = await login(cust.email, cust.password);
    const code = (await must('CreateRelationshipRequest', { customerDomain: cust.domain }, partners.reader.token)).createRelationshipRequest.code as string;
    accepting[i] = { id: cust.id, token, code };
  });
}, 240_000);

afterAll(async () => {
  await ps?.stop();
});

const failures: unknown[] = [];
const fail = (kind: string, i: number, r: GraphQLResponse | string): void => void failures.push({ kind, i, errors: typeof r === 'string' ? r : (r.errors ?? r.status) });

const kinds: Record<string, (i: number) => Promise<void>> = {
  // A partner creates a security group and grants it READER on a subscription at once.
  async 'group→grant'(i) {
    const g = await op('group→grant', 'createSecurityGroup', 'CreateSecurityGroup', { name: `RYW group ${i} ${tag}` }, partners.groups.token);
    const groupId = g.data?.createSecurityGroup?.group.id;
    if (!groupId) return fail('group→grant', i, g);
    const r = await op('group→grant', 'grantRole', 'GrantRole', { input: { principalId: groupId, role: 'READER', scope: grantScope } }, partners.groups.token);
    if (!r.data?.grantRole?.assignment) fail('group→grant', i, r);
  },
  // createCustomer, then placeOrder for it at once.
  async 'customer→order'(i) {
    const c = await createCustomer(partners.orders, `order-${i}`, 'customer→order');
    if (!c) return fail('customer→order', i, 'createCustomer failed');
    const r = await op('customer→order', 'placeOrder', 'PlaceOrder', { input: { customerId: c.id, idempotencyKey: `order-${i}-${tag}`, lineItems: [{ offerId: AZURE, quantity: 1 }] } }, partners.orders.token);
    if (!r.data?.placeOrder?.order) fail('customer→order', i, r);
  },
  // A customer accepts a relationship request; the partner then reads that customer, whole.
  async 'accept→read'(i) {
    const a = accepting[i];
    const acc = await op('accept→read', 'accept', 'AcceptRelationshipRequest', { code: a.code }, a.token);
    if (acc.data?.acceptRelationshipRequest?.relationship.status !== 'ACTIVE') return fail('accept→read', i, acc);
    const r = await op('accept→read', 'read', 'CustomerOverview', { id: a.id }, partners.reader.token);
    if (r.errors || r.data?.customer?.id !== a.id || r.data.customer.subscriptions == null) fail('accept→read', i, r);
  },
  // Place an order, wait until ACTIVE, then manage it at once: a service and a role grant.
  async 'order→ACTIVE→manage'(i) {
    const c = await createCustomer(partners.manage, `manage-${i}`, 'order→ACTIVE→manage');
    if (!c) return fail('order→ACTIVE→manage', i, 'createCustomer failed');
    const o = await op('order→ACTIVE→manage', 'placeOrder', 'PlaceOrder', { input: { customerId: c.id, idempotencyKey: `manage-${i}-${tag}`, lineItems: [{ offerId: AZURE, quantity: 1 }] } }, partners.manage.token);
    const id = o.data?.placeOrder?.order.lineItems[0].subscription.id;
    if (!id) return fail('order→ACTIVE→manage', i, o);
    if (!(await untilActive('order→ACTIVE→manage', id, partners.manage.token))) return fail('order→ACTIVE→manage', i, `subscription ${id} never ACTIVE`);
    const s = await op('order→ACTIVE→manage', 'createService', 'CreateService', { subscriptionId: id, name: `web-${i}`, meterId: METER }, partners.manage.token);
    if (!s.data?.createService?.service) fail('order→ACTIVE→manage', i, s);
    const g = await op('order→ACTIVE→manage', 'grantRole', 'GrantRole', { input: { principalId: c.adminId, role: 'READER', scope: `/customers/${c.id}/subscriptions/${id}` } }, partners.manage.token);
    if (!g.data?.grantRole?.assignment) fail('order→ACTIVE→manage', i, g);
  },
};

it(`${PER_KIND * 4} write-then-dependent-request pairs across two replicas: 0 NOT_FOUND, 0 FORBIDDEN`, async () => {
  // The four kinds interleaved, CONCURRENCY pairs in flight at a time.
  const names = Object.keys(kinds);
  const started = performance.now();
  await pool(PER_KIND * names.length, CONCURRENCY, (n) => kinds[names[n % names.length]](Math.floor(n / names.length)));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);

  const codes: Record<string, number> = {};
  for (const { r } of responses) for (const e of r.errors ?? []) codes[String(e.extensions?.code)] = (codes[String(e.extensions?.code)] ?? 0) + 1;
  const perReplica = external ? `against ${external}` : `access-control ${ps.balancer('access-control')!.counts}, subscription ${ps.balancer('subscription')!.counts} requests per replica`;
  console.log(`read-your-writes with replicas: ${PER_KIND * names.length} pairs, ${responses.length} responses in ${seconds} s; error codes ${JSON.stringify(codes)}; ${perReplica}`);
  expect(failures).toEqual([]);
  expect(codes.NOT_FOUND ?? 0).toBe(0);
  expect(codes.FORBIDDEN ?? 0).toBe(0);
  // Both replicas of each served: consecutive requests really went to different processes.
  if (!external) for (const name of ['access-control', 'subscription'] as const) expect(Math.min(...ps.balancer(name)!.counts)).toBeGreaterThan(PER_KIND);
}, 240_000);
