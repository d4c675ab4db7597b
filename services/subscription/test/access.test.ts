import { errorCode, graphql, startStack, type Stack } from '@csp/testkit';
import type { RunningWorker } from '../src/worker-app';
import { eventually, IDS, order, partnerToken, seedFacts, startWorker } from './helpers';

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
  const r = await stack.op('GrantRole', { input: { principalId, role, scope: onScope } }, partner);
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
        { token },
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
