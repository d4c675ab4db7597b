import { errorCode, startStack, type Stack } from '@csp/testkit';
import { createCustomer, linkReseller, onboardPartner, seedMarkets, until, type Actor } from './identity-fixtures';

/**
 * Hole 4: a distributor sees a linked reseller's customers only where the business runs through
 * it — not a customer the reseller serves through another distributor, nor its users' emails,
 * nor what the reseller's staff did there.
 */
let stack: Stack;
let d1: Actor;
let d2: Actor;
let reseller: Actor;
let viaD1: Actor & { domain: string };
let viaD2: Actor & { domain: string };
beforeAll(async () => {
  stack = await startStack('identity-distvis', { services: ['identity'] });
  await seedMarkets(stack);
  [d1, d2, reseller] = await Promise.all([
    onboardPartner(stack, { tier: 'INDIRECT_PROVIDER', country: 'DE' }),
    onboardPartner(stack, { tier: 'INDIRECT_PROVIDER', country: 'DE' }),
    onboardPartner(stack, { tier: 'INDIRECT_RESELLER', country: 'DE' }),
  ]);
  await linkReseller(stack, d1, reseller);
  await linkReseller(stack, d2, reseller);
  viaD1 = await createCustomer(stack, d1.token, { country: 'DE', associatedResellerId: reseller.id });
  viaD2 = await createCustomer(stack, d2.token, { country: 'DE', associatedResellerId: reseller.id });
});
afterAll(() => stack?.stop());

describe("a distributor and its reseller's customers", () => {
  it('lists and reads only the customers whose business runs through it', async () => {
    const list = await stack.op('Customers', { first: 100 }, d1.token);
    const ids = list.data.customers.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(ids).toContain(viaD1.id);
    expect(ids).not.toContain(viaD2.id);
    expect(JSON.stringify(list)).not.toContain(viaD2.domain);
    const foreign = await stack.op('CustomerOverview', { id: viaD2.id }, d1.token);
    const ghost = await stack.op('CustomerOverview', { id: 'cus_nowhere' }, d1.token);
    expect(errorCode(foreign)).toBe('NOT_FOUND');
    expect(foreign.errors![0].message.replace(viaD2.id, '<id>')).toBe(ghost.errors![0].message.replace('cus_nowhere', '<id>'));
    expect(JSON.stringify(foreign)).not.toContain(viaD2.email);
    // Through the reseller's Partner.customers too.
    const r = await stack.gql(`query ($id: ID!) { partner(id: $id) { customers(first: 100) { edges { node { id users { email } } } } } }`, { id: reseller.id }, d1.token);
    const through = r.data.partner.customers.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(through).toEqual([viaD1.id]);
    expect(JSON.stringify(r)).not.toContain(viaD2.email);
    // The reseller itself sees both.
    const own = (await stack.op('Customers', { first: 100 }, reseller.token)).data.customers.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(own).toEqual(expect.arrayContaining([viaD1.id, viaD2.id]));
  });

  it("reads the reseller's staff audit trail only on customers whose business runs through it", async () => {
    const record = (id: string, customerId: string) =>
      stack.publish('audit.recorded', {
        _id: id, at: new Date().toISOString(), service: 'subscription', action: 'placeOrder', actorId: reseller.userId, actorKind: 'PARTNER_USER',
        actorPartnerId: reseller.id, targetId: id, customerId,
      });
    await record('aud_vis_d1', viaD1.id);
    await record('aud_vis_d2', viaD2.id);
    const seen = async (token: string) =>
      ((await stack.op('AuditRecords', { first: 100 }, token)).data?.auditRecords?.edges ?? []).map((e: { node: { targetId: string } }) => e.node.targetId);
    await until('the reseller to read both records', async () => (await seen(reseller.token)).filter((x: string) => x?.startsWith('aud_vis_')).length === 2);
    const byD1 = await seen(d1.token);
    expect(byD1).toContain('aud_vis_d1');
    expect(byD1).not.toContain('aud_vis_d2');
  });
});
