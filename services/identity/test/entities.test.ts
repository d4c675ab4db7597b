import { graphql, startStack, storeCommandsOf, type Stack } from '@csp/testkit';
import { newId } from '@csp/kernel';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('identity-entities', { services: ['identity'] });
});
afterAll(() => stack?.stop());

describe('entity resolution for other subgraphs', () => {
  it('resolves 100 Customer references with one store query', async () => {
    const { customers } = stack.identity.deps;
    const now = stack.identity.rt.clock.now();
    const docs = Array.from({ length: 100 }, (_, i) => ({
      _id: newId('cus'),
      companyName: `Batch ${i}`,
      domain: `batch-${i}.example`,
      country: 'DE',
      currency: 'EUR',
      partnerId: 'ptn_batch',
      status: 'ACTIVE',
      createdAt: now,
      outbox: [],
    }));
    await customers.insertMany(docs);
    const url = `${stack.services.identity!.url}/graphql`;
    const token = await stack.operatorToken();
    const query = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Customer { id companyName domain } } }`;
    const reps = docs.map((d) => ({ __typename: 'Customer', id: d._id }));
    await graphql(url, query, { reps: reps.slice(0, 1) }, { token, internal: stack.env.INTERNAL_SECRET }); // warm the token verifier's key cache

    // Only the request's own commands count (background polls and consumers do not).
    const { result: r, commands } = await storeCommandsOf(stack.identity.rt.mongo, (headers) => graphql(url, query, { reps }, { token, headers, internal: stack.env.INTERNAL_SECRET }));
    expect(r.errors).toBeUndefined();
    expect(r.data._entities).toHaveLength(100);
    expect(r.data._entities[42]).toEqual({ id: docs[42]._id, companyName: 'Batch 42', domain: 'batch-42.example' });
    expect(commands).toEqual(['find:customers']);
  });

  it('resolves Partner, User and SecurityGroup references, unknown ids as null', async () => {
    const url = `${stack.services.identity!.url}/graphql`;
    const token = await stack.operatorToken();
    const me = await stack.gql('{ me { id } }', {}, token);
    const r = await graphql(
      url,
      `query ($reps: [_Any!]!) { _entities(representations: $reps) { __typename ... on User { id email } ... on Partner { id } ... on SecurityGroup { id } } }`,
      { reps: [{ __typename: 'User', id: me.data.me.id }, { __typename: 'Partner', id: 'ptn_missing' }, { __typename: 'SecurityGroup', id: 'grp_missing' }] },
      { token, internal: stack.env.INTERNAL_SECRET },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data._entities).toEqual([{ __typename: 'User', id: me.data.me.id, email: 'operator@test.example' }, null, null]);
  });

  it('refuses anonymous entity lookups', async () => {
    const r = await graphql(`${stack.services.identity!.url}/graphql`, `{ _entities(representations: [{ __typename: "Customer", id: "x" }]) { __typename } }`, {}, { internal: stack.env.INTERNAL_SECRET });
    expect(r.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('hole 7: entity references are authorized like the root fields', () => {
  it("another tenant's Customer, Partner, User and SecurityGroup resolve to null, like ids that exist nowhere", async () => {
    const { seedMarkets, onboardPartner, createCustomer } = await import('./identity-fixtures');
    await seedMarkets(stack);
    const [mine, theirs] = await Promise.all([onboardPartner(stack, { tier: 'DIRECT_PROVIDER', country: 'DE' }), onboardPartner(stack, { tier: 'DIRECT_PROVIDER', country: 'DE' })]);
    const [own, foreign] = await Promise.all([createCustomer(stack, mine.token, { country: 'DE' }), createCustomer(stack, theirs.token, { country: 'DE' })]);
    const groups = await stack.op('CreateSecurityGroup', { name: 'Theirs', memberIds: [theirs.userId] }, theirs.token);
    const reps = [
      { __typename: 'Customer', id: foreign.id },
      { __typename: 'Partner', id: theirs.id },
      { __typename: 'User', id: foreign.userId },
      { __typename: 'User', id: theirs.userId },
      { __typename: 'SecurityGroup', id: groups.data.createSecurityGroup.group.id },
      { __typename: 'Customer', id: own.id },
      { __typename: 'User', id: own.userId },
    ];
    const r = await graphql(
      `${stack.services.identity!.url}/graphql`,
      `query ($reps: [_Any!]!) { _entities(representations: $reps) { __typename ... on Customer { id } ... on User { id email } ... on Partner { id name } ... on SecurityGroup { id name } } }`,
      { reps },
      { token: mine.token, internal: stack.env.INTERNAL_SECRET },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data._entities).toEqual([null, null, null, null, null, { __typename: 'Customer', id: own.id }, { __typename: 'User', id: own.userId, email: own.email }]);
    // The customer may name its partner (its subscriptions and invoices show it).
    const c = await graphql(`${stack.services.identity!.url}/graphql`, `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Partner { id } } }`, { reps: [{ __typename: 'Partner', id: mine.id }, { __typename: 'Partner', id: theirs.id }] }, { token: own.token, internal: stack.env.INTERNAL_SECRET });
    expect(c.data._entities).toEqual([{ id: mine.id }, null]);
  });
});

describe('pages', () => {
  it('count the total only when the query asks for it, and a first page holding everything not at all', async () => {
    const url = `${stack.services.identity!.url}/graphql`;
    const token = await stack.operatorToken();
    const now = stack.identity.rt.clock.now();
    const docs = Array.from({ length: 3 }, (_, i) => ({
      _id: newId('ptn'),
      name: `Paged ${i}`,
      tier: 'DIRECT_PROVIDER',
      country: 'US',
      market: 'US',
      currency: 'USD',
      adminAgentsGroupId: newId('grp'),
      createdAt: now,
    }));
    await stack.identity.deps.partners.collection.insertMany(docs as never[]);
    const all = (await stack.gql('{ partners(first: 100) { totalCount } }', {}, token)).data.partners.totalCount as number;
    expect(all).toBeGreaterThanOrEqual(3);
    const ask = (query: string) => storeCommandsOf(stack.identity.rt.mongo, (headers) => graphql(url, query, {}, { token, headers, internal: stack.env.INTERNAL_SECRET }));
    const counts = (cs: string[]) => cs.filter((c) => /^(aggregate|count):partners$/.test(c));

    const edgesOnly = await ask('{ partners(first: 1) { edges { node { id } } pageInfo { hasNextPage } } }');
    expect(edgesOnly.result.errors).toBeUndefined();
    expect(edgesOnly.result.data.partners.pageInfo.hasNextPage).toBe(true);
    expect(counts(edgesOnly.commands)).toEqual([]);

    const withTotal = await ask('{ partners(first: 1) { totalCount t2: totalCount edges { node { id } } } }');
    expect(withTotal.result.data.partners).toMatchObject({ totalCount: all, t2: all });
    expect(counts(withTotal.commands)).toHaveLength(1);

    const whole = await ask('{ partners(first: 100) { totalCount edges { node { id } } } }');
    expect(whole.result.data.partners.totalCount).toBe(whole.result.data.partners.edges.length);
    expect(counts(whole.commands)).toEqual([]);
  });
});
