import { startStack, type Stack } from '@csp/testkit';
import { createCustomer, linkReseller, onboardPartner, unique, until } from './identity-fixtures';

/**
 * The contract's partner operations ask for `market { name countries }`, which the catalog
 * subgraph resolves: this file runs identity with the real catalog, whose seeded markets reach
 * identity's read model through `market.upserted` — no shortcut.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack('identity-contract', { services: ['identity', 'catalog'] });
  await until('identity to learn catalog markets', async () => (await stack.identity.deps.markets.countDocuments({ _id: { $in: ['DE', 'NORDIC', 'UK', 'US'] } })) === 4, 30_000);
});
afterAll(() => stack?.stop());

describe('partners.graphql through the gateway with catalog', () => {
  it('OnboardPartner: market from the country, with its catalog name', async () => {
    const name = unique('Contoso Deutschland ');
    const r = await stack.op(
      'OnboardPartner',
      { input: { name, tier: 'DIRECT_PROVIDER', country: 'DE', adminEmail: `${unique('admin')}@contoso.example`, adminPassword: 'partner-password-1' } },
      await stack.operatorToken(),
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.onboardPartner.partner).toMatchObject({ name, tier: 'DIRECT_PROVIDER', country: 'DE', currency: 'EUR', market: { code: 'DE', name: expect.stringMatching(/Germany/) } });
    expect(r.data.onboardPartner.adminUser.email).toMatch(/@contoso\.example$/);
  });

  it('Partner: a distributor reads its page with market, resellers, distributors and customers', async () => {
    const distributor = await onboardPartner(stack, { tier: 'INDIRECT_PROVIDER', country: 'SE' });
    const reseller = await onboardPartner(stack, { tier: 'INDIRECT_RESELLER', country: 'FI' });
    await linkReseller(stack, distributor, reseller);
    const customer = await createCustomer(stack, distributor.token, { country: 'DK', associatedResellerId: reseller.id });

    const r = await stack.op('Partner', { id: distributor.id }, distributor.token);
    expect(r.errors).toBeUndefined();
    expect(r.data.partner).toMatchObject({
      id: distributor.id,
      tier: 'INDIRECT_PROVIDER',
      country: 'SE',
      currency: 'EUR',
      market: { code: 'NORDIC', countries: expect.arrayContaining(['SE', 'FI', 'DK']) },
      resellers: { totalCount: 1, edges: [{ node: { id: reseller.id, name: reseller.name } }] },
      distributors: [],
      customers: { totalCount: 1, edges: [{ node: { id: customer.id, companyName: customer.companyName } }], pageInfo: { hasNextPage: false } },
    });
    const child = await stack.op('Partner', { id: reseller.id }, reseller.token);
    expect(child.data.partner.distributors).toEqual([{ id: distributor.id, name: distributor.name }]);
  });

  it("CustomerOverview's identity part: tenant, partners and users", async () => {
    const partner = await onboardPartner(stack, { tier: 'DIRECT_PROVIDER', country: 'GB' });
    const customer = await createCustomer(stack, partner.token, { country: 'GB' });
    const r = await stack.gql(
      `query ($id: ID!) { customer(id: $id) { id companyName domain country currency relationships { status partner { id name tier } } users { id email } } }`,
      { id: customer.id },
      partner.token,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.customer).toEqual({
      id: customer.id,
      companyName: customer.companyName,
      domain: customer.domain,
      country: 'GB',
      currency: 'GBP',
      relationships: [{ status: 'ACTIVE', partner: { id: partner.id, name: partner.name, tier: 'DIRECT_PROVIDER' } }],
      users: [{ id: customer.userId, email: customer.email }],
    });
  });
});
