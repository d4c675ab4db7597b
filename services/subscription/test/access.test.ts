import { errorCode, graphql, startStack, type Stack } from '@csp/testkit';
import type { RunningWorker } from '../src/worker-app';
import { eventually, IDS, order, partnerToken, seedFacts, startWorker, subDeps } from './helpers';

/**
 * With access-control running: the partner's admin-agents group becomes OWNER when the
 * subscription is active, and customer users can touch services only as their grants allow.
 */
let stack: Stack;
let worker: RunningWorker;
let partner: string;
let subId: string;
const scope = () => `/customers/${IDS.customer}/subscriptions/${subId}`;

beforeAll(async () => {
  stack = await startStack('subaccess', { services: ['subscription', 'access-control'], env: { PROVISIONING_BACKOFF_MS: '50' } });
  await seedFacts(stack);
  worker = await startWorker(stack);
  partner = await partnerToken(stack, IDS.direct, IDS.directGroup);
  const r = await stack.op('PlaceOrder', order(IDS.customer, 'azure-1', [{ offerId: IDS.azure, quantity: 1, friendlyName: 'Prod' }]), partner);
  expect(r.errors).toBeUndefined();
  subId = r.data.placeOrder.order.lineItems[0].subscription.id;
  // Active, and the OWNER seed has reached access-control.
  await eventually(async () => {
    const s = await stack.gql(`query($id: ID!) { subscription(id: $id) { status roleAssignments { role scope principal { id } } } }`, { id: subId }, partner);
    const sub = s.data?.subscription;
    return sub?.status === 'ACTIVE' && sub.roleAssignments.some((a: { role: string; principal: { id: string } }) => a.role === 'OWNER' && a.principal.id === IDS.directGroup);
  }, 30_000);
});
afterAll(async () => {
  await worker?.stop();
  await stack?.stop();
});

const grant = async (principalId: string, role: string, onScope: string) => {
  // Identity announces every user; access-control gives roles only to users it knows.
  await stack.publish('user.rolesChanged', { userId: principalId, email: `${principalId}@c.example`, kind: 'CUSTOMER_USER', customerId: IDS.customer, roles: ['USER'] });
  const r = await eventually(async () => {
    const x = await stack.op('GrantRole', { input: { principalId, role, scope: onScope } }, partner);
    return errorCode(x) === 'NOT_FOUND' ? undefined : x;
  });
  expect(r.errors).toBeUndefined();
  return r.data.grantRole.assignment;
};

describe('services and role grants', () => {
  it('the partner (OWNER through its admin-agents group) creates and runs services', async () => {
    const c = await stack.op('CreateService', { subscriptionId: subId, name: 'web', meterId: IDS.meter }, partner);
    expect(c.errors).toBeUndefined();
    expect(c.data.createService.service).toEqual({ name: 'web', meterId: IDS.meter, status: 'STOPPED', scope: `${scope()}/services/web` });
    const c2 = await stack.op('CreateService', { subscriptionId: subId, name: 'db', meterId: IDS.meter }, partner);
    expect(c2.errors).toBeUndefined();
    expect(errorCode(await stack.op('CreateService', { subscriptionId: subId, name: 'web', meterId: IDS.meter }, partner))).toBe('CONFLICT');
    expect(errorCode(await stack.op('CreateService', { subscriptionId: subId, name: 'x', meterId: 'mtr_unknown' }, partner))).toBe('BAD_USER_INPUT');
    const s = await stack.op('SubscriptionServices', { id: subId }, partner);
    expect(s.data.subscription.services.map((x: { name: string }) => x.name)).toEqual(['web', 'db']);
  });

  it('a customer without a role cannot start a service (FORBIDDEN) and can after the partner grants CONTRIBUTOR on its scope', async () => {
    const alice = await stack.mint({ userId: 'usr_alice', kind: 'CUSTOMER_USER', customerId: IDS.customer });
    const denied = await stack.op('StartService', { subscriptionId: subId, name: 'web' }, alice);
    expect(errorCode(denied)).toBe('FORBIDDEN');
    // No role: the subscription is not even visible.
    expect(errorCode(await stack.op('SubscriptionServices', { id: subId }, alice))).toBe('NOT_FOUND');

    await grant('usr_alice', 'CONTRIBUTOR', `${scope()}/services/web`);
    const ok = await eventually(async () => {
      const r = await stack.op('StartService', { subscriptionId: subId, name: 'web' }, alice);
      return r.errors ? undefined : r;
    });
    expect(ok.data.startService.service).toEqual({ name: 'web', status: 'RUNNING' });
    const stop = await stack.op('StopService', { subscriptionId: subId, name: 'web' }, alice);
    expect(stop.data.stopService.service).toEqual({ name: 'web', status: 'STOPPED' });
    // The grant covers that service only.
    expect(errorCode(await stack.op('StartService', { subscriptionId: subId, name: 'db' }, alice))).toBe('FORBIDDEN');
    expect(errorCode(await stack.op('CreateService', { subscriptionId: subId, name: 'alice2', meterId: IDS.meter }, alice))).toBe('FORBIDDEN');
  });

  it('READER can read the subscription and its services but not manage them', async () => {
    const bob = await stack.mint({ userId: 'usr_bob', kind: 'CUSTOMER_USER', customerId: IDS.customer });
    await grant('usr_bob', 'READER', scope());
    const read = await eventually(async () => {
      const r = await stack.op('SubscriptionServices', { id: subId }, bob);
      return r.errors ? undefined : r;
    });
    expect(read.data.subscription.services).toHaveLength(2);
    expect(errorCode(await stack.op('StartService', { subscriptionId: subId, name: 'db' }, bob))).toBe('FORBIDDEN');
    expect(errorCode(await stack.op('StopService', { subscriptionId: subId, name: 'web' }, bob))).toBe('FORBIDDEN');
    // Customer.subscriptions lists for bob only what he holds a role on; a user with no role sees none.
    const list = (token: string) =>
      graphql(
        `${stack.services.subscription!.url}/graphql`,
        `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Customer { subscriptions { totalCount edges { node { id } } } } } }`,
        { reps: [{ __typename: 'Customer', id: IDS.customer }] },
        { token, internal: stack.env.INTERNAL_SECRET },
      );
    const mine = (await list(bob)).data._entities[0].subscriptions;
    expect(mine.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([subId]);
    const carol = await stack.mint({ userId: 'usr_carol', kind: 'CUSTOMER_USER', customerId: IDS.customer });
    expect((await list(carol)).data._entities[0].subscriptions.totalCount).toBe(0);
  });

  it("another customer's user and another partner get NOT_FOUND", async () => {
    const mallory = await stack.mint({ userId: 'usr_mallory', kind: 'CUSTOMER_USER', customerId: IDS.otherCustomer });
    expect(errorCode(await stack.op('StartService', { subscriptionId: subId, name: 'web' }, mallory))).toBe('NOT_FOUND');
    const other = await partnerToken(stack, IDS.other, IDS.otherGroup);
    expect(errorCode(await stack.op('StartService', { subscriptionId: subId, name: 'web' }, other))).toBe('NOT_FOUND');
  });
});

describe('hole 3: lifecycle is decided by access-control (subscription/manage), like services', () => {
  const ownerSeeded = (token: string, customerId: string, id: string) =>
    eventually(async () => (await stack.op('CheckAccess', { scope: `/customers/${customerId}/subscriptions/${id}`, action: 'subscription/manage' }, token)).data?.checkAccess.allowed, 30_000);
  const status = async (id: string) => (await subDeps(stack).models.subscriptions.findById(id).lean())!.status;
  const license = async (token: string, customerId: string, key: string) => {
    const r = await stack.op('PlaceOrder', order(customerId, key, [{ offerId: IDS.license, quantity: 2 }]), token);
    expect(r.errors).toBeUndefined();
    const id = r.data.placeOrder.order.lineItems[0].subscription.id as string;
    await eventually(async () => (await status(id)) === 'ACTIVE', 30_000);
    return id;
  };
  const lifecycle = (id: string, token: string) =>
    Promise.all([
      stack.op('UpdateSubscription', { id, quantity: 3 }, token),
      stack.op('SuspendSubscription', { id, reason: 'probe' }, token),
      stack.op('CancelSubscription', { id }, token),
    ]);

  it("a partner user outside the admin agents (no role on the subscription) is FORBIDDEN; nothing changes", async () => {
    const id = await license(partner, IDS.customer, 'hole3-staff');
    await ownerSeeded(partner, IDS.customer, id);
    const sales = await stack.mint({ userId: 'usr_sales1', kind: 'PARTNER_USER', partnerId: IDS.direct, roles: ['SALES_AGENT'] });
    for (const r of await lifecycle(id, sales)) expect(errorCode(r)).toBe('FORBIDDEN');
    expect(await status(id)).toBe('ACTIVE');
    expect((await subDeps(stack).models.subscriptions.findById(id).lean())!.quantity).toBe(2);
  });

  it('tier 2: the reseller holds no role until the distributor grants one; the distributor (OWNER) may', async () => {
    const distributor = await partnerToken(stack, IDS.distributor, IDS.distributorGroup);
    const reseller = await partnerToken(stack, IDS.reseller, IDS.resellerGroup);
    const id = await license(reseller, IDS.resellerCustomer, 'hole3-tier2');
    await ownerSeeded(distributor, IDS.resellerCustomer, id);
    for (const r of await lifecycle(id, reseller)) expect(errorCode(r)).toBe('FORBIDDEN');
    expect(await status(id)).toBe('ACTIVE');
    expect((await stack.op('SuspendSubscription', { id, reason: 'distributor' }, distributor)).errors).toBeUndefined();
  });

  it('after the relationship is revoked, the partner of record changes nothing (and manages no service)', async () => {
    const other = await partnerToken(stack, IDS.other, IDS.otherGroup);
    const id = await license(other, IDS.otherCustomer, 'hole3-revoked');
    await ownerSeeded(other, IDS.otherCustomer, id);
    await stack.publish('relationship.revoked', { customerId: IDS.otherCustomer, partnerId: IDS.other });
    await eventually(async () => !(await stack.op('CheckAccess', { scope: `/customers/${IDS.otherCustomer}/subscriptions/${id}`, action: 'subscription/manage' }, other)).data?.checkAccess.allowed);
    for (const r of await lifecycle(id, other)) expect(errorCode(r)).toBe('FORBIDDEN');
    expect(errorCode(await stack.op('GrantRole', { input: { principalId: IDS.otherGroup, role: 'OWNER', scope: `/customers/${IDS.otherCustomer}/subscriptions/${id}` } }, other))).toBe('NOT_FOUND');
    expect(await status(id)).toBe('ACTIVE');
  });
});
