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
    await graphql(url, query, { reps: reps.slice(0, 1) }, { token }); // warm the token verifier's key cache

    // Only the request's own commands count (background polls and consumers do not).
    const { result: r, commands } = await storeCommandsOf(stack.identity.rt.mongo, (headers) => graphql(url, query, { reps }, { token, headers }));
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
      { token },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data._entities).toEqual([{ __typename: 'User', id: me.data.me.id, email: 'operator@test.example' }, null, null]);
  });

  it('refuses anonymous entity lookups', async () => {
    const r = await graphql(`${stack.services.identity!.url}/graphql`, `{ _entities(representations: [{ __typename: "Customer", id: "x" }]) { __typename } }`);
    expect(r.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});
