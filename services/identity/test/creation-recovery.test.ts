import { armCrashPoint, disarmCrashPoints } from '@csp/kernel';
import { errorCode, eventually, startStack, type Stack } from '@csp/testkit';
import { auditLogModel } from '../src/platform/audit-log.model';
import { ONBOARD, onboardPartner, seedMarkets, unique, type Actor } from './identity-fixtures';

/**
 * createCustomer and onboardPartner are several writes. A request that dies at any named point
 * leaves nothing anyone can sign in with, is undone (or, if it died after its last write,
 * completed) by the creation sweep, and the same request then succeeds: one customer, one admin.
 */
let stack: Stack;
let partner: Actor;
let operator: string;

beforeAll(async () => {
  stack = await startStack('identity-creations', { services: ['identity'] });
  await seedMarkets(stack);
  partner = await onboardPartner(stack, { tier: 'DIRECT_PROVIDER', country: 'DE' });
  operator = await stack.operatorToken();
});
afterEach(() => disarmCrashPoints());
afterAll(() => stack?.stop());

const PASSWORD = 'creation-password-1';
const auditLog = () => auditLogModel(stack.identity.rt.mongo.connection);
const signIn = (email: string) => stack.op('Login', { email, password: PASSWORD });

/** Moves the platform clock past the creation grace, which runs the sweep at once. */
async function later(): Promise<void> {
  const now = new Date((await stack.gql('{ clock { now } }', {}, operator)).data.clock.now);
  expect((await stack.gql('mutation($to: DateTime!) { advanceClock(to: $to) { now } }', { to: new Date(now.getTime() + 3 * 60_000).toISOString() }, operator)).errors).toBeUndefined();
}

describe('createCustomer', () => {
  const input = () => {
    const domain = `${unique('crash')}.example`;
    return { companyName: unique('Crash '), domain, country: 'DE', adminEmail: `admin@${domain}`, adminPassword: PASSWORD };
  };

  it.each(['customer.claimed', 'customer.admin-created', 'customer.relationship-created'])('dies at %s: undone without a trace, then created once', async (point) => {
    const d = stack.identity.deps;
    const i = input();
    armCrashPoint(point);
    expect((await stack.op('CreateCustomer', { input: i }, partner.token)).errors).toBeDefined();
    const dead = await d.customers.findOne({ domain: i.domain }).lean();
    expect(dead?.status).toBe('PENDING');
    expect(errorCode(await signIn(i.adminEmail))).toBe('UNAUTHENTICATED'); // no orphan can sign in

    await later();
    await eventually(async () => (await d.customers.countDocuments({ domain: i.domain })) === 0 && (await d.users.countDocuments({ email: i.adminEmail })) === 0);
    expect(await d.relationships.countDocuments({ customerId: dead!._id })).toBe(0);

    const again = await stack.op('CreateCustomer', { input: i }, partner.token);
    expect(again.errors).toBeUndefined();
    const id = again.data.createCustomer.customer.id;
    expect(await d.customers.countDocuments({ domain: i.domain })).toBe(1);
    expect(await d.users.countDocuments({ customerId: id })).toBe(1);
    expect(await d.relationships.countDocuments({ customerId: id })).toBe(1);
    expect((await signIn(i.adminEmail)).errors).toBeUndefined();
    // The audit log holds the creation once, and nothing of the attempt that was undone.
    await eventually(async () => (await auditLog().countDocuments({ action: 'identity.createCustomer', targetId: id })) === 1);
    expect(await auditLog().countDocuments({ targetId: dead!._id })).toBe(0);
  });

  it('dies after its last write (customer.activated): the admin may sign in once the sweep completes it', async () => {
    const d = stack.identity.deps;
    const i = input();
    armCrashPoint('customer.activated');
    expect((await stack.op('CreateCustomer', { input: i }, partner.token)).errors).toBeDefined();
    const created = await d.customers.findOne({ domain: i.domain }).lean();
    expect(created?.status).toBe('ACTIVE');
    // Its audit record went out with that last write, though the request died before answering.
    await eventually(async () => (await auditLog().countDocuments({ action: 'identity.createCustomer', targetId: created!._id, customerId: created!._id })) === 1);
    expect(errorCode(await signIn(i.adminEmail))).toBe('UNAUTHENTICATED');
    await later();
    await eventually(async () => !(await signIn(i.adminEmail)).errors);
    expect(await d.users.countDocuments({ email: i.adminEmail })).toBe(1);
  });
});

describe('onboardPartner', () => {
  const input = () => ({ name: unique('Crash Partner '), tier: 'DIRECT_PROVIDER', country: 'DE', adminEmail: `${unique('admin')}@partner.example`, adminPassword: PASSWORD });

  it.each(['partner.admin-created', 'partner.group-created'])('dies at %s: the admin and group are undone, then onboarding succeeds once', async (point) => {
    const d = stack.identity.deps;
    const i = input();
    armCrashPoint(point);
    expect((await stack.gql(ONBOARD, { input: i }, operator)).errors).toBeDefined();
    const orphan = await d.users.findOne({ email: i.adminEmail }).lean();
    expect(orphan?.pendingTenant).toBe(true);
    expect(errorCode(await signIn(i.adminEmail))).toBe('UNAUTHENTICATED');

    await later();
    await eventually(async () => (await d.users.countDocuments({ email: i.adminEmail })) === 0);
    expect(await d.groups.countDocuments({ ownerId: orphan!.partnerId })).toBe(0);
    expect(await d.partners.countDocuments({ _id: orphan!.partnerId })).toBe(0);

    const again = await stack.gql(ONBOARD, { input: i }, operator);
    expect(again.errors).toBeUndefined();
    expect(await d.partners.countDocuments({ name: i.name })).toBe(1);
    expect((await signIn(i.adminEmail)).errors).toBeUndefined();
  });

  it('dies after its last write (partner.created): completed by the sweep, the admin signs in', async () => {
    const d = stack.identity.deps;
    const i = input();
    armCrashPoint('partner.created');
    expect((await stack.gql(ONBOARD, { input: i }, operator)).errors).toBeDefined();
    expect(await d.partners.countDocuments({ name: i.name })).toBe(1);
    expect(errorCode(await signIn(i.adminEmail))).toBe('UNAUTHENTICATED');
    await later();
    await eventually(async () => !(await signIn(i.adminEmail)).errors);
  });
});
