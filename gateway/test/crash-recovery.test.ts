import mongoose, { type Connection } from 'mongoose';
import { contractOperation, errorCode, eventually, graphql, OPERATOR, startProcesses, type ProcessName, type ProcessStack } from '@csp/testkit';

/**
 * Real crashes, not simulated ones: for each named crash point of the order, customer-creation,
 * partner-onboarding and usage-ingestion flows, one more replica of the owning subgraph is started
 * with CSP_CRASH_AT and sent the mutation directly (as the gateway would); it dies there with
 * SIGKILL, holding whatever locks it held. Nobody replays. A replica started afterwards (the
 * restart) and the sweepers finish or undo the work: exactly one of each thing, nothing lost, no
 * orphan that can sign in. The in-process variants (armCrashPoint) sit beside each service's tests.
 */
const AZURE = 'off_azure_plan';
const METER = 'mtr_vm_d2s_v5';
const PASSWORD = 'crash-recovery-password-1';
const tag = Math.random().toString(36).slice(2, 8);
let seq = 0;
const unique = (s: string) => `${s}-${tag}-${(seq++).toString(36)}`;

let ps: ProcessStack;
let operator: string;
let partner: { id: string; token: string };
const stores: Partial<Record<ProcessName, Connection>> = {};
const store = (name: ProcessName) => (stores[name] ??= mongoose.createConnection(ps.env.MONGO_URL!, { dbName: ps.dbName(name) }));

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const gw = (name: string, variables: Record<string, unknown>, token?: string) => graphql(ps.gatewayUrl, contractOperation(name).source, variables, { token });
async function must(name: string, variables: Record<string, unknown>, token?: string): Promise<Json> {
  const r = await gw(name, variables, token);
  if (r.errors?.length || !r.data) throw new Error(`${name}: ${JSON.stringify(r.errors ?? r.status)}`);
  return r.data;
}
/** What the mutations under test ask of the one subgraph they are sent to directly. */
const DIRECT = {
  placeOrder: `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } } }`,
  createCustomer: `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }`,
  onboardPartner: `mutation ($input: OnboardPartnerInput!) { onboardPartner(input: $input) { partner { id } } }`,
  recordUsage: `mutation ($records: [UsageRecordInput!]!) { recordUsage(records: $records) { accepted duplicates rejected { index reason } } }`,
};
const login = async (email: string, password: string) => (await must('Login', { email, password })).login.accessToken as string;

/** A condition polled until it holds (the testkit's eventually, named first: reads better here). */
const until = <T>(what: string, probe: () => Promise<T | undefined | null | false>, ms = 30_000) => eventually(probe, ms, what);

/**
 * Starts a replica of `service` that dies at `point`, sends it `query` directly and returns once
 * it has died of SIGKILL; the client never got an answer.
 */
async function dieAt(service: ProcessName, point: string, query: string, variables: Record<string, unknown>, token: string): Promise<void> {
  const doomed = await ps.startReplica(service, { CSP_CRASH_AT: point });
  const died = ps.exited(doomed);
  const answer = await graphql(`${ps.instanceUrl(doomed)}/graphql`, query, variables, { token, internal: ps.env.INTERNAL_SECRET }).then(
    (r) => `answered ${JSON.stringify(r.errors ?? r.data)}`,
    () => 'no answer',
  );
  expect(answer).toBe('no answer');
  expect(await died).toBe('SIGKILL');
}

/** Moves the platform clock on, which runs every process's sweepers at once. */
async function later(ms: number): Promise<void> {
  const now = new Date((await must('Clock', {}, operator)).clock.now);
  await must('AdvanceClock', { to: new Date(now.getTime() + ms).toISOString() }, operator);
}

async function newCustomer(): Promise<{ id: string; domain: string }> {
  const domain = `${unique('crash')}.example`;
  const input = { companyName: `Crash ${domain}`, domain, country: 'DE', adminEmail: `admin@${domain}`, adminPassword: PASSWORD };
  return { id: (await must('CreateCustomer', { input }, partner.token)).createCustomer.customer.id, domain };
}

beforeAll(async () => {
  ps = await startProcesses('crash-recovery', { env: { PROVISIONING_BACKOFF_MS: '50', LOG_LEVEL: 'warn' } });
  operator = await login(OPERATOR.email, OPERATOR.password);
  const email = `admin.${tag}@crash-recovery.example`;
  const d = await must('OnboardPartner', { input: { name: `Crash recovery ${tag}`, tier: 'DIRECT_PROVIDER', country: 'DE', adminEmail: email, adminPassword: PASSWORD } }, operator);
  partner = { id: d.onboardPartner.partner.id, token: await login(email, PASSWORD) };
}, 120_000);

afterAll(async () => {
  await Promise.all(Object.values(stores).map((c) => c!.close()));
  await ps?.stop();
});

describe('placeOrder', () => {
  it.each(['order.claimed', 'order.subscriptions-written', 'order.jobs-enqueued'])('the subscription process dies at %s: the order still ends with one ACTIVE subscription', async (point) => {
    const customer = await until('the new customer orderable', async () => newCustomer());
    const key = unique('order');
    const input = { customerId: customer.id, idempotencyKey: key, lineItems: [{ offerId: AZURE, quantity: 1 }] };
    await dieAt('subscription', point, DIRECT.placeOrder, { input }, partner.token);
    await ps.startReplica('subscription'); // the restart (the first replica runs on)

    const db = store('subscription');
    const order = await until('the claimed order', () => db.collection('orders').findOne({ idempotencyKey: key }));
    await later(60_000);
    await until('the order finished by the sweep', async () => (await db.collection('orders').findOne({ _id: order._id }))?.materialized === true);
    const subs = await db.collection('subscriptions').find({ orderId: order._id }).toArray();
    expect(subs).toHaveLength(1);
    const id = String(subs[0]._id);
    await until(`${id} ACTIVE`, async () => (await must('Subscription', { id }, partner.token)).subscription.status === 'ACTIVE');
    // Usable: a service can be created on it at once, and the client's late replay changes nothing.
    expect((await gw('CreateService', { subscriptionId: id, name: 'web', meterId: METER }, partner.token)).errors).toBeUndefined();
    const replay = await must('PlaceOrder', { input }, partner.token);
    expect(replay.placeOrder.order.id).toBe(order._id);
    expect(await db.collection('orders').countDocuments({ idempotencyKey: key })).toBe(1);
    expect(await db.collection('subscriptions').countDocuments({ orderId: order._id })).toBe(1);
  }, 90_000);
});

describe('createCustomer', () => {
  const input = () => {
    const domain = `${unique('new')}.example`;
    return { companyName: `New ${domain}`, domain, country: 'DE', adminEmail: `admin@${domain}`, adminPassword: PASSWORD };
  };
  const signIn = (email: string) => gw('Login', { email, password: PASSWORD });

  it.each(['customer.claimed', 'customer.admin-created', 'customer.relationship-created'])('identity dies at %s: undone, nobody can sign in, then created once', async (point) => {
    const i = input();
    await dieAt('identity', point, DIRECT.createCustomer, { input: i }, partner.token);
    await ps.startReplica('identity');
    const db = store('identity');
    const dead = await db.collection('customers').findOne({ domain: i.domain });
    expect(errorCode(await signIn(i.adminEmail))).toBe('UNAUTHENTICATED'); // no orphan can sign in
    await later(3 * 60_000);
    await until('the half-made customer undone', async () => (await db.collection('customers').countDocuments({ domain: i.domain })) === 0 && (await db.collection('users').countDocuments({ email: i.adminEmail })) === 0);

    // The dead request's lock does not hold up the client's next attempt for long.
    const again = await must('CreateCustomer', { input: i }, partner.token);
    const id = again.createCustomer.customer.id;
    expect(await db.collection('customers').countDocuments({ domain: i.domain })).toBe(1);
    expect(await db.collection('users').countDocuments({ customerId: id })).toBe(1);
    expect(await db.collection('relationships').countDocuments({ customerId: id })).toBe(1);
    expect((await signIn(i.adminEmail)).errors).toBeUndefined();
    // The graph-wide audit log holds the creation once, and nothing of the attempt that was undone.
    await until('the creation in the audit log', async () => (await db.collection('audit_log').countDocuments({ action: 'identity.createCustomer', targetId: id })) === 1);
    if (dead) expect(await db.collection('audit_log').countDocuments({ targetId: dead._id })).toBe(0);
  }, 90_000);

  it('identity dies after the last write (customer.activated): the sweep completes it and the admin signs in', async () => {
    const i = input();
    await dieAt('identity', 'customer.activated', DIRECT.createCustomer, { input: i }, partner.token);
    await ps.startReplica('identity');
    expect(errorCode(await signIn(i.adminEmail))).toBe('UNAUTHENTICATED');
    await later(3 * 60_000);
    await until('the admin may sign in', async () => !(await signIn(i.adminEmail)).errors);
    expect(await store('identity').collection('users').countDocuments({ email: i.adminEmail })).toBe(1);
    const created = await store('identity').collection('customers').findOne({ domain: i.domain });
    expect(created?.status).toBe('ACTIVE');
    // Its audit record went out with that last write, though the process died before answering.
    await until('the creation in the audit log', async () => (await store('identity').collection('audit_log').countDocuments({ action: 'identity.createCustomer', targetId: created!._id, customerId: created!._id })) === 1);
  }, 90_000);
});

describe('onboardPartner', () => {
  const input = () => ({ name: `Crash partner ${unique('p')}`, tier: 'DIRECT_PROVIDER', country: 'DE', adminEmail: `${unique('admin')}@partner.example`, adminPassword: PASSWORD });

  it.each(['partner.admin-created', 'partner.group-created'])('identity dies at %s: the admin and group are undone, then onboarding succeeds once', async (point) => {
    const i = input();
    await dieAt('identity', point, DIRECT.onboardPartner, { input: i }, operator);
    await ps.startReplica('identity');
    const db = store('identity');
    const orphan = await db.collection('users').findOne({ email: i.adminEmail });
    expect(orphan?.pendingTenant).toBe(true);
    expect(errorCode(await gw('Login', { email: i.adminEmail, password: PASSWORD }))).toBe('UNAUTHENTICATED');
    await later(3 * 60_000);
    await until('the orphan admin removed', async () => (await db.collection('users').countDocuments({ email: i.adminEmail })) === 0);
    expect(await db.collection('security_groups').countDocuments({ ownerId: orphan!.partnerId })).toBe(0);
    expect(await db.collection('partners').countDocuments({ _id: orphan!.partnerId })).toBe(0);

    await must('OnboardPartner', { input: i }, operator);
    expect(await db.collection('partners').countDocuments({ name: i.name })).toBe(1);
    expect((await gw('Login', { email: i.adminEmail, password: PASSWORD })).errors).toBeUndefined();
  }, 90_000);

  it('identity dies after the last write (partner.created): completed by the sweep, the admin signs in', async () => {
    const i = input();
    await dieAt('identity', 'partner.created', DIRECT.onboardPartner, { input: i }, operator);
    await ps.startReplica('identity');
    await later(3 * 60_000);
    await until('the admin may sign in', async () => !(await gw('Login', { email: i.adminEmail, password: PASSWORD })).errors);
    expect(await store('identity').collection('partners').countDocuments({ name: i.name })).toBe(1);
  }, 90_000);
});

describe('recordUsage', () => {
  const RECORD = DIRECT.recordUsage;

  it('billing dies right after storing a batch (usage.inserted): the resent batch is stored once and counted once', async () => {
    const customer = await until('the new customer orderable', async () => newCustomer());
    const placed = await must('PlaceOrder', { input: { customerId: customer.id, idempotencyKey: unique('usage'), lineItems: [{ offerId: AZURE, quantity: 1 }] } }, partner.token);
    const id = placed.placeOrder.order.lineItems[0].subscription.id as string;
    await until(`${id} ACTIVE`, async () => (await must('Subscription', { id }, partner.token)).subscription.status === 'ACTIVE');
    const day = (await must('Clock', {}, operator)).clock.now.slice(0, 10);
    const records = [1, 2, 3].map((n) => ({ recordId: `${id}-${n}`, subscriptionId: id, meterId: METER, quantity: '2.5', usageDate: day }));
    // The billing subgraph learns of the subscription through its events: wait until it accepts usage.
    await until('billing knows the subscription', async () => {
      const probe = await graphql(ps.gatewayUrl, RECORD, { records: [{ ...records[0], recordId: `${id}-probe`, quantity: '0' }] }, { token: operator });
      return probe.data?.recordUsage.accepted === 1;
    });
    await dieAt('billing', 'usage.inserted', RECORD, { records }, operator);
    await ps.startReplica('billing');
    const again = await graphql(ps.gatewayUrl, RECORD, { records }, { token: operator });
    expect(again.data?.recordUsage).toEqual({ accepted: 0, duplicates: 3, rejected: [] });
    expect(await store('billing').collection('usage_records').countDocuments({ subscriptionId: id, recordId: { $in: records.map((r) => r.recordId) } })).toBe(3);
  }, 90_000);
});
