import { errorCode, graphql, startStack, type Stack } from '@csp/testkit';
import { IDS, order, partnerToken, seedFacts, SUB_QUERY, subDeps } from './helpers';

let stack: Stack;
let direct: string;
beforeAll(async () => {
  stack = await startStack('suborders', { services: ['subscription'] });
  await seedFacts(stack);
  direct = await partnerToken(stack, IDS.direct, IDS.directGroup);
});
afterAll(() => stack?.stop());

const counts = async () => {
  const d = subDeps(stack);
  const jobs = await d.queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized');
  return {
    orders: await d.models.orders.countDocuments(),
    subscriptions: await d.models.subscriptions.countDocuments(),
    jobs: Object.values(jobs).reduce((a, b) => a + b, 0),
  };
};

describe('placeOrder', () => {
  it('20 concurrent calls with one idempotency key make one order, one subscription, one provisioning job', async () => {
    const before = await counts();
    const vars = order(IDS.customer, 'race-1', [{ offerId: IDS.license, quantity: 25, friendlyName: 'Sales seats' }]);
    const results = await Promise.all(Array.from({ length: 20 }, () => stack.op('PlaceOrder', vars, direct)));
    for (const r of results) expect(r.errors).toBeUndefined();
    const ids = new Set(results.map((r) => r.data.placeOrder.order.id));
    expect(ids.size).toBe(1);
    const subIds = new Set(results.map((r) => r.data.placeOrder.order.lineItems[0].subscription.id));
    expect(subIds.size).toBe(1);
    const o = results[0].data.placeOrder.order;
    expect(o.status).toBe('PROCESSING');
    expect(o.lineItems[0]).toMatchObject({ offer: { id: IDS.license }, quantity: 25, subscription: { status: 'PROVISIONING' } });
    expect(await counts()).toEqual({ orders: before.orders + 1, subscriptions: before.subscriptions + 1, jobs: before.jobs + 1 });

    const again = await stack.op('PlaceOrder', vars, direct);
    expect(again.data.placeOrder.order.id).toBe(o.id);
    expect(await counts()).toEqual({ orders: before.orders + 1, subscriptions: before.subscriptions + 1, jobs: before.jobs + 1 });
  });

  it('the same key with a different body is CONFLICT', async () => {
    await stack.op('PlaceOrder', order(IDS.customer, 'conflict-1', [{ offerId: IDS.license, quantity: 2 }]), direct);
    const before = await counts();
    const r = await stack.op('PlaceOrder', order(IDS.customer, 'conflict-1', [{ offerId: IDS.license, quantity: 3 }]), direct);
    expect(errorCode(r)).toBe('CONFLICT');
    expect(await counts()).toEqual(before);
  });

  it('the key is per partner: another partner may use the same key', async () => {
    const other = await partnerToken(stack, IDS.other, IDS.otherGroup);
    const a = await stack.op('PlaceOrder', order(IDS.customer, 'shared-key', [{ offerId: IDS.license, quantity: 1 }]), direct);
    const b = await stack.op('PlaceOrder', order(IDS.otherCustomer, 'shared-key', [{ offerId: IDS.license, quantity: 1 }]), other);
    expect(a.errors).toBeUndefined();
    expect(b.errors).toBeUndefined();
    expect(a.data.placeOrder.order.id).not.toBe(b.data.placeOrder.order.id);
  });

  it.each([
    ['an offer not available in the customer country', IDS.euOnly, 1, /not available in US/],
    ['an offer available only from a future date', IDS.future, 1, /not available in US/],
    ['an unknown offer', 'off_nope', 1, /not available/],
    ['a quantity above the maximum', IDS.license, 301, /between 1 and 300/],
    ['a quantity below the minimum', IDS.license, 0, /between 1 and 300/],
    ['a usage offer with quantity 2', IDS.azure, 2, /always 1/],
  ])('%s is BAD_USER_INPUT and stores nothing', async (_what, offerId, quantity, message) => {
    const before = await counts();
    const r = await stack.op(
      'PlaceOrder',
      order(IDS.customer, `bad-${offerId}-${quantity}`, [{ offerId: IDS.license, quantity: 1 }, { offerId, quantity }]),
      direct,
    );
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toMatch(message);
    expect(await counts()).toEqual(before);
  });

  it("another partner's customer answers NOT_FOUND; customers and the operator cannot order", async () => {
    const r = await stack.op('PlaceOrder', order(IDS.otherCustomer, 'steal-1', [{ offerId: IDS.license, quantity: 1 }]), direct);
    expect(errorCode(r)).toBe('NOT_FOUND');
    const customer = await stack.mint({ userId: 'usr_c1', kind: 'CUSTOMER_USER', customerId: IDS.customer });
    expect(errorCode(await stack.op('PlaceOrder', order(IDS.customer, 'c-1', [{ offerId: IDS.license, quantity: 1 }]), customer))).toBe('FORBIDDEN');
    expect(errorCode(await stack.op('PlaceOrder', order(IDS.customer, 'o-1', [{ offerId: IDS.license, quantity: 1 }]), await stack.operatorToken()))).toBe('FORBIDDEN');
    expect(errorCode(await stack.op('PlaceOrder', order(IDS.customer, 'a-1', [{ offerId: IDS.license, quantity: 1 }])))).toBe('UNAUTHENTICATED');
  });

  it("a reseller's order is billed to its distributor and keeps the reseller on the subscription", async () => {
    const reseller = await partnerToken(stack, IDS.reseller, IDS.resellerGroup);
    const r = await stack.op('PlaceOrder', order(IDS.resellerCustomer, 'resel-1', [{ offerId: IDS.azure, quantity: 1 }]), reseller);
    expect(r.errors).toBeUndefined();
    const id = r.data.placeOrder.order.lineItems[0].subscription.id;
    const s = await stack.gql(SUB_QUERY, { id }, reseller);
    expect(s.data.subscription).toMatchObject({ partner: { id: IDS.distributor }, reseller: { id: IDS.reseller }, customer: { id: IDS.resellerCustomer } });
    // The distributor sees it too (partner of record) and may order for its reseller's customer.
    const dist = await partnerToken(stack, IDS.distributor, IDS.distributorGroup);
    expect((await stack.gql(SUB_QUERY, { id }, dist)).data.subscription.id).toBe(id);
    const d = await stack.op('PlaceOrder', order(IDS.resellerCustomer, 'dist-1', [{ offerId: IDS.license, quantity: 5 }]), dist);
    expect(d.errors).toBeUndefined();
    const s2 = await stack.gql(SUB_QUERY, { id: d.data.placeOrder.order.lineItems[0].subscription.id }, dist);
    expect(s2.data.subscription).toMatchObject({ partner: { id: IDS.distributor }, reseller: { id: IDS.reseller } });
    // A partner without a relationship sees nothing.
    expect(errorCode(await stack.gql(SUB_QUERY, { id }, direct))).toBe('NOT_FOUND');
  });

  it("a partner sells only to countries of its own market", async () => {
    await stack.publish('customer.created', { customerId: 'cus_de1', companyName: 'DE GmbH', domain: 'de1.example', country: 'DE', currency: 'EUR', partnerId: IDS.direct });
    const { eventually } = await import('./helpers');
    await eventually(async () => !!(await subDeps(stack).rm.customers.exists({ _id: 'cus_de1', country: 'DE' })));
    const before = await counts();
    const r = await stack.op('PlaceOrder', order('cus_de1', 'de-1', [{ offerId: IDS.license, quantity: 1 }]), direct);
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toMatch(/sells in market US/);
    expect(await counts()).toEqual(before);
  });

  it('a revoked relationship stops ordering', async () => {
    await stack.publish('customer.created', { customerId: 'cus_rev1', companyName: 'Rev', domain: 'rev.example', country: 'US', currency: 'USD', partnerId: IDS.direct });
    await stack.publish('relationship.revoked', { customerId: 'cus_rev1', partnerId: IDS.direct });
    const { eventually } = await import('./helpers');
    await eventually(async () => (await subDeps(stack).rm.relationships.findById(`${IDS.direct}:cus_rev1`).lean())?.status === 'REVOKED');
    const r = await stack.op('PlaceOrder', order('cus_rev1', 'rev-1', [{ offerId: IDS.license, quantity: 1 }]), direct);
    expect(errorCode(r)).toBe('NOT_FOUND');
  });
});

describe('reading', () => {
  it('subscription(id), Customer.subscriptions and Partner.subscriptions are scoped and paged', async () => {
    const placed = await stack.op(
      'PlaceOrder',
      order(IDS.customer, 'read-1', [
        { offerId: IDS.license, quantity: 3 },
        { offerId: IDS.azure, quantity: 1 },
      ]),
      direct,
    );
    expect(placed.errors).toBeUndefined();
    const [a, b] = placed.data.placeOrder.order.lineItems.map((l: { subscription: { id: string } }) => l.subscription.id);
    const s = await stack.gql(SUB_QUERY, { id: a }, direct);
    expect(s.data.subscription).toMatchObject({
      id: a,
      status: 'PROVISIONING',
      quantity: 3,
      customer: { id: IDS.customer },
      partner: { id: IDS.direct },
      reseller: null,
      offer: { id: IDS.license },
      provisioning: { state: 'WAITING', attempts: 0 },
      services: [],
    });
    expect(s.data.subscription.history).toEqual([expect.objectContaining({ status: 'PROVISIONING', actor: 'usr_direct1' })]);

    // Customer and Partner are identity's entities: ask this subgraph for its field the way the gateway does.
    const page = (typename: string, id: string, token: string, first = 1, after?: string) =>
      graphql(
        `${stack.services.subscription!.url}/graphql`,
        `query($reps: [_Any!]!, $first: Int, $after: String) { _entities(representations: $reps) {
          ... on Customer { subscriptions(first: $first, after: $after) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }
          ... on Partner { subscriptions(first: $first, after: $after) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }
        } }`,
        { reps: [{ __typename: typename, id }], first, after },
        { token, internal: stack.env.INTERNAL_SECRET },
      );
    const p1 = await page('Customer', IDS.customer, direct, 1);
    expect(p1.errors).toBeUndefined();
    const c1 = p1.data._entities[0].subscriptions;
    expect(c1.edges).toHaveLength(1);
    expect(c1.pageInfo.hasNextPage).toBe(true);
    const total = c1.totalCount;
    expect(total).toBeGreaterThanOrEqual(2);
    const all: string[] = [];
    let after: string | undefined;
    for (;;) {
      const r = (await page('Customer', IDS.customer, direct, 2, after)).data._entities[0].subscriptions;
      all.push(...r.edges.map((e: { node: { id: string } }) => e.node.id));
      if (!r.pageInfo.hasNextPage) break;
      after = r.pageInfo.endCursor;
    }
    expect(all).toHaveLength(total);
    expect(all).toEqual(expect.arrayContaining([a, b]));
    const other = await partnerToken(stack, IDS.other, IDS.otherGroup);
    // Another partner sees none of this partner's business with the customer.
    expect((await page('Customer', IDS.customer, other)).data._entities[0].subscriptions.totalCount).toBe(0);
    const ps = (await page('Partner', IDS.direct, direct, 100)).data._entities[0].subscriptions;
    expect(ps.totalCount).toBe(await subDeps(stack).models.subscriptions.countDocuments({ partnerId: IDS.direct }));
    expect((await page('Partner', IDS.direct, other)).data._entities[0].subscriptions.totalCount).toBe(0);
    const cust = await stack.mint({ userId: 'usr_c1', kind: 'CUSTOMER_USER', customerId: IDS.customer });
    expect(errorCode(await page('Partner', IDS.direct, cust))).toBe('FORBIDDEN');

    const op = await stack.operatorToken();
    expect((await stack.gql(SUB_QUERY, { id: a }, op)).data.subscription.id).toBe(a);
    expect(errorCode(await stack.gql(SUB_QUERY, { id: 'sub_nope' }, direct))).toBe('NOT_FOUND');
  });
});
