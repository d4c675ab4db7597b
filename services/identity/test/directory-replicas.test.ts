import { startIdentity } from '@csp/svc-identity/app';
import { errorCode, graphql, startStack, type Stack } from '@csp/testkit';
import { createCustomer, onboardPartner, seedMarkets, type Actor } from './identity-fixtures';

/**
 * Each identity replica keeps partners' views (which customers a partner sees) in memory: a
 * change made through one replica is in force on the other's very next request.
 */
let stack: Stack;
let other: Awaited<ReturnType<typeof startIdentity>>;
let seller: Actor;
beforeAll(async () => {
  stack = await startStack('identity-directory', { services: ['identity'] });
  other = await startIdentity({ ...(stack.env as Record<string, string>), MONGO_DB: `${stack.env.DB_PREFIX}_identity` }, true);
  await seedMarkets(stack);
  seller = await onboardPartner(stack, { tier: 'DIRECT_PROVIDER', country: 'DE' });
}, 60_000);
afterAll(async () => {
  await other?.stop();
  await stack?.stop();
});

const CUSTOMER = `query ($id: ID!) { customer(id: $id) { id relationships { status partner { id name } } } }`;
const CUSTOMERS = `{ customers(first: 100) { edges { node { id } } } }`;
const REVOKE = `mutation ($c: ID!) { revokeRelationship(customerId: $c) { relationship { status } } }`;
const onOther = (query: string, variables: Record<string, unknown> = {}) => graphql(`${other.url}/graphql`, query, variables, { token: seller.token, internal: stack.env.INTERNAL_SECRET });

it("a customer created through one replica is in the other replica's next answer", async () => {
  expect((await onOther(CUSTOMERS)).data.customers.edges).toEqual([]); // the other replica now holds the seller's view
  const customer = await createCustomer(stack, seller.token, { country: 'DE' });
  const seen = await onOther(CUSTOMER, { id: customer.id });
  expect(seen.errors).toBeUndefined();
  expect(seen.data.customer).toEqual({ id: customer.id, relationships: [{ status: 'ACTIVE', partner: { id: seller.id, name: seller.name } }] });
  expect((await onOther(CUSTOMERS)).data.customers.edges).toEqual([{ node: { id: customer.id } }]);
});

it("a relationship revoked through one replica hides the customer on the other's next request", async () => {
  const customer = await createCustomer(stack, seller.token, { country: 'DE' });
  expect((await onOther(CUSTOMER, { id: customer.id })).errors).toBeUndefined();
  const revoked = await stack.gql(REVOKE, { c: customer.id }, seller.token);
  expect(revoked.errors).toBeUndefined();
  expect(errorCode(await onOther(CUSTOMER, { id: customer.id }))).toBe('NOT_FOUND');
});
