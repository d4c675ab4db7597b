import { errorCode, startStack, type Stack } from '@csp/testkit';
import { ACCEPT_RESELLER_LINK, createCustomer, linkReseller, login, onboardPartner, queuedEvents, seedMarkets, unique, until, type Actor } from './identity-fixtures';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('identity-partners', { services: ['identity'] });
  await seedMarkets(stack);
});
afterAll(() => stack?.stop());

const ONBOARD = `mutation ($input: OnboardPartnerInput!) {
  onboardPartner(input: $input) { partner { id name tier country currency market { code } } adminUser { id email } adminAgentsGroup { id name members { id } } }
}`;
// The contract's Partner query without `market { name countries }`, which catalog resolves (see partners-contract.test.ts).
const PARTNER = `query ($id: ID!) {
  partner(id: $id) {
    id name tier country currency market { code }
    resellers(first: 20) { totalCount edges { node { id name } } }
    distributors { id name }
    customers(first: 20) { totalCount edges { node { id companyName } } pageInfo { hasNextPage endCursor } }
  }
}`;

const LINK_STATUS = `mutation ($id: ID!) { linkReseller(resellerId: $id) { partner { id } status } }`;
const INVITATIONS = `query ($id: ID!) { partner(id: $id) { distributors { id } distributorInvitations { id } } }`;

const onboardInput = (over: Record<string, unknown> = {}) => ({
  name: unique('Litware '),
  tier: 'DIRECT_PROVIDER',
  country: 'SE',
  adminEmail: `${unique('a')}@litware.example`,
  adminPassword: 'partner-password-1',
  ...over,
});

describe('OnboardPartner (partners.graphql)', () => {
  it('the operator onboards a partner: market from its country, currency from the market, admin user in an admin-agents group', async () => {
    const input = onboardInput();
    const r = await stack.gql(ONBOARD, { input }, await stack.operatorToken());
    expect(r.errors).toBeUndefined();
    const { partner, adminUser, adminAgentsGroup } = r.data.onboardPartner;
    expect(partner).toMatchObject({ name: input.name, tier: 'DIRECT_PROVIDER', country: 'SE', currency: 'SEK', market: { code: 'NORDIC' } });
    expect(adminUser.email).toBe(input.adminEmail);
    expect(adminAgentsGroup).toMatchObject({ name: 'Admin agents', members: [{ id: adminUser.id }] });

    const [onboarded] = await until('partner.onboarded', async () => {
      const evs = (await queuedEvents(stack, 'access-control', 'partner.onboarded')).filter((e) => e.payload.partnerId === partner.id);
      return evs.length > 0 && evs;
    });
    expect(onboarded.payload).toEqual({
      partnerId: partner.id,
      name: input.name,
      tier: 'DIRECT_PROVIDER',
      country: 'SE',
      market: 'NORDIC',
      currency: 'SEK',
      adminAgentsGroupId: adminAgentsGroup.id,
    });
    const membership = await until('group.membershipChanged', async () =>
      (await queuedEvents(stack, 'access-control', 'group.membershipChanged')).find((e) => e.payload.groupId === adminAgentsGroup.id),
    );
    expect(membership.payload).toEqual({ groupId: adminAgentsGroup.id, ownerKind: 'PARTNER', ownerId: partner.id, memberIds: [adminUser.id] });
  });

  it('keeps an agreed currency', async () => {
    const r = await stack.gql(ONBOARD, { input: onboardInput({ country: 'DK', currency: 'eur' }) }, await stack.operatorToken());
    expect(r.data.onboardPartner.partner).toMatchObject({ currency: 'EUR', market: { code: 'NORDIC' } });
  });

  it('refuses a country no market covers, a taken email and non-operators', async () => {
    const op = await stack.operatorToken();
    expect(errorCode(await stack.gql(ONBOARD, { input: onboardInput({ country: 'JP' }) }, op))).toBe('BAD_USER_INPUT');
    const first = onboardInput();
    expect((await stack.gql(ONBOARD, { input: first }, op)).errors).toBeUndefined();
    expect(errorCode(await stack.gql(ONBOARD, { input: onboardInput({ adminEmail: first.adminEmail.toUpperCase() }) }, op))).toBe('CONFLICT');
    const partner = await onboardPartner(stack, { tier: 'DIRECT_PROVIDER', country: 'DE' });
    expect(errorCode(await stack.gql(ONBOARD, { input: onboardInput() }, partner.token))).toBe('FORBIDDEN');
    expect(errorCode(await stack.gql(ONBOARD, { input: onboardInput() }))).toBe('UNAUTHENTICATED');
  });
});

describe('two-tier: distributors, resellers and their customers', () => {
  let distributor: Actor;
  let reseller: Actor;
  let reseller2: Actor;
  let otherDistributor: Actor;

  beforeAll(async () => {
    [distributor, reseller, reseller2, otherDistributor] = await Promise.all([
      onboardPartner(stack, { tier: 'INDIRECT_PROVIDER', country: 'GB' }),
      onboardPartner(stack, { tier: 'INDIRECT_RESELLER', country: 'GB' }),
      onboardPartner(stack, { tier: 'INDIRECT_RESELLER', country: 'GB' }),
      onboardPartner(stack, { tier: 'INDIRECT_PROVIDER', country: 'GB' }),
    ]);
  });

  it("LinkReseller only invites: nothing is shared and no event goes out until the reseller's admin accepts", async () => {
    const [d, r] = await Promise.all([
      onboardPartner(stack, { tier: 'INDIRECT_PROVIDER', country: 'GB' }),
      onboardPartner(stack, { tier: 'INDIRECT_RESELLER', country: 'GB' }),
    ]);
    const invite = await stack.op('LinkReseller', { resellerId: r.id }, d.token);
    expect(invite.errors).toBeUndefined();
    expect(invite.data.linkReseller.partner).toEqual({ id: r.id, name: r.name, tier: 'INDIRECT_RESELLER' });
    expect((await stack.gql(LINK_STATUS, { id: r.id }, d.token)).data.linkReseller.status).toBe('PENDING'); // idempotent
    const own = await createCustomer(stack, r.token, { country: 'GB' });

    // A pending invitation opens nothing: not the reseller's page, its customers, nor selling on its behalf.
    expect(errorCode(await stack.gql(PARTNER, { id: r.id }, d.token))).toBe('NOT_FOUND');
    expect((await stack.op('Customers', { first: 50 }, d.token)).data.customers.edges).toEqual([]);
    expect(errorCode(await stack.gql(`query ($id: ID!) { customer(id: $id) { id } }`, { id: own.id }, d.token))).toBe('NOT_FOUND');
    expect((await stack.gql(PARTNER, { id: d.id }, d.token)).data.partner.resellers.totalCount).toBe(0);
    // The reseller sees the invitation, not a distributor.
    expect((await stack.gql(INVITATIONS, { id: r.id }, r.token)).data.partner).toEqual({ distributors: [], distributorInvitations: [{ id: d.id }] });
    await new Promise((res) => setTimeout(res, 600)); // the relay polls every 250 ms
    expect((await queuedEvents(stack, 'billing', 'reseller.linked')).filter((e) => e.payload.resellerId === r.id)).toEqual([]);

    // Accepting (twice: idempotent) makes the link ACTIVE and publishes reseller.linked once.
    const accepted = await stack.gql(ACCEPT_RESELLER_LINK, { d: d.id }, r.token);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data.acceptResellerLink).toEqual({ partner: { id: d.id, name: d.name, tier: 'INDIRECT_PROVIDER' }, status: 'ACTIVE' });
    expect((await stack.gql(ACCEPT_RESELLER_LINK, { d: d.id }, r.token)).data.acceptResellerLink.status).toBe('ACTIVE');
    // Inviting again leaves an accepted link accepted.
    expect((await stack.gql(LINK_STATUS, { id: r.id }, d.token)).data.linkReseller.status).toBe('ACTIVE');
    expect((await stack.gql(PARTNER, { id: r.id }, d.token)).data.partner.customers.edges).toEqual([{ node: { id: own.id, companyName: own.companyName } }]);
    expect((await stack.op('Customers', { first: 50 }, d.token)).data.customers.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([own.id]);
    expect((await stack.gql(INVITATIONS, { id: r.id }, r.token)).data.partner).toEqual({ distributors: [{ id: d.id }], distributorInvitations: [] });
    await until('reseller.linked', async () => (await queuedEvents(stack, 'billing', 'reseller.linked')).some((e) => e.payload.resellerId === r.id));
    await new Promise((res) => setTimeout(res, 600));
    const events = (await queuedEvents(stack, 'billing', 'reseller.linked')).filter((e) => e.payload.resellerId === r.id);
    expect(events.map((e) => e.payload)).toEqual([{ distributorId: d.id, resellerId: r.id }]);
  });

  it('LinkReseller + AcceptResellerLink: a reseller may have several distributors, each accepted on its own', async () => {
    await linkReseller(stack, distributor, reseller);
    await linkReseller(stack, distributor, reseller2);
    await linkReseller(stack, otherDistributor, reseller);
    const links = await until('reseller.linked', async () => {
      const evs = (await queuedEvents(stack, 'billing', 'reseller.linked')).filter((e) => e.payload.resellerId === reseller.id);
      return evs.length >= 2 && evs;
    });
    expect(links.map((e) => e.payload.distributorId).sort()).toEqual([distributor.id, otherDistributor.id].sort());
  });

  it('AcceptResellerLink: only the invited reseller\'s admin accepts; no invitation answers NOT_FOUND like an unknown id', async () => {
    const [d, r, otherReseller] = await Promise.all([
      onboardPartner(stack, { tier: 'INDIRECT_PROVIDER', country: 'GB' }),
      onboardPartner(stack, { tier: 'INDIRECT_RESELLER', country: 'GB' }),
      onboardPartner(stack, { tier: 'INDIRECT_RESELLER', country: 'GB' }),
    ]);
    // Not invited (yet): NOT_FOUND, worded as for a distributor that exists nowhere.
    const early = await stack.gql(ACCEPT_RESELLER_LINK, { d: d.id }, r.token);
    const ghost = await stack.gql(ACCEPT_RESELLER_LINK, { d: 'ptn_nowhere' }, r.token);
    expect(errorCode(early)).toBe('NOT_FOUND');
    expect(early.errors![0].message.replace(d.id, '<id>')).toBe(ghost.errors![0].message.replace('ptn_nowhere', '<id>'));
    expect((await stack.op('LinkReseller', { resellerId: r.id }, d.token)).errors).toBeUndefined();
    // Another reseller cannot accept an invitation meant for r; the distributor cannot accept for it.
    expect(errorCode(await stack.gql(ACCEPT_RESELLER_LINK, { d: d.id }, otherReseller.token))).toBe('NOT_FOUND');
    expect(errorCode(await stack.gql(ACCEPT_RESELLER_LINK, { d: d.id }, d.token))).toBe('FORBIDDEN');
    expect(errorCode(await stack.gql(ACCEPT_RESELLER_LINK, { d: d.id }, await stack.operatorToken()))).toBe('FORBIDDEN');
    expect(errorCode(await stack.gql(ACCEPT_RESELLER_LINK, { d: d.id }))).toBe('UNAUTHENTICATED');
    // A reseller user who is not its admin cannot either.
    const agentEmail = `${unique('agent')}@reseller.example`;
    const agent = await stack.gql(
      `mutation ($input: CreateUserInput!) { createUser(input: $input) { user { id } } }`,
      { input: { email: agentEmail, password: 'agent-password-1' } },
      r.token,
    );
    expect(agent.errors).toBeUndefined();
    const agentToken = await login(stack, agentEmail, 'agent-password-1');
    expect(errorCode(await stack.gql(ACCEPT_RESELLER_LINK, { d: d.id }, agentToken))).toBe('FORBIDDEN');
    // Two concurrent accepts: both succeed, one event.
    const both = await Promise.all([0, 1].map(() => stack.gql(ACCEPT_RESELLER_LINK, { d: d.id }, r.token)));
    expect(both.map((x) => x.data?.acceptResellerLink?.status)).toEqual(['ACTIVE', 'ACTIVE']);
    await until('reseller.linked', async () => (await queuedEvents(stack, 'billing', 'reseller.linked')).some((e) => e.payload.resellerId === r.id));
    await new Promise((res) => setTimeout(res, 600));
    expect((await queuedEvents(stack, 'billing', 'reseller.linked')).filter((e) => e.payload.resellerId === r.id)).toHaveLength(1);
  });

  it('LinkReseller refuses non-distributors, non-resellers, other markets and unknown ids', async () => {
    const direct = await onboardPartner(stack, { tier: 'DIRECT_PROVIDER', country: 'GB' });
    const abroad = await onboardPartner(stack, { tier: 'INDIRECT_RESELLER', country: 'US' });
    expect(errorCode(await stack.op('LinkReseller', { resellerId: reseller.id }, direct.token))).toBe('FORBIDDEN');
    expect(errorCode(await stack.op('LinkReseller', { resellerId: direct.id }, distributor.token))).toBe('BAD_USER_INPUT');
    expect(errorCode(await stack.op('LinkReseller', { resellerId: abroad.id }, distributor.token))).toBe('BAD_USER_INPUT');
    expect(errorCode(await stack.op('LinkReseller', { resellerId: 'ptn_missing' }, distributor.token))).toBe('NOT_FOUND');
  });

  it("a distributor creates a customer for its reseller and sees its reseller's customers", async () => {
    const onBehalf = await createCustomer(stack, distributor.token, { country: 'GB', associatedResellerId: reseller.id });
    const own = await createCustomer(stack, reseller.token, { country: 'GB' });
    const other = await createCustomer(stack, reseller2.token, { country: 'GB' });

    // A distributor sees a reseller's customers only where the business runs through it (hole 4):
    // one it created for the reseller, or any of a reseller with no other distributor (reseller2).
    // `reseller` has two distributors and named none for `own`: its business runs through neither.
    const list = await stack.op('Customers', { first: 50 }, distributor.token);
    expect(list.data.customers.edges.map((e: { node: { id: string } }) => e.node.id).sort()).toEqual([onBehalf.id, other.id].sort());
    const one = await stack.gql(`query ($id: ID!) { customer(id: $id) { id users { email } } }`, { id: other.id }, distributor.token);
    expect(one.data.customer.users).toEqual([{ email: other.email }]);
    expect(errorCode(await stack.gql(`query ($id: ID!) { customer(id: $id) { id } }`, { id: own.id }, distributor.token))).toBe('NOT_FOUND');

    // The reseller is the customer's partner; the event names the distributor.
    const created = await until('customer.created', async () =>
      (await queuedEvents(stack, 'billing', 'customer.created')).find((e) => e.payload.customerId === onBehalf.id),
    );
    expect(created.payload).toMatchObject({ partnerId: reseller.id, distributorId: distributor.id, currency: 'GBP' });
    const rel = await stack.gql(`query ($id: ID!) { customer(id: $id) { relationships { status partner { id } } } }`, { id: onBehalf.id }, reseller.token);
    expect(rel.data.customer.relationships).toEqual([{ status: 'ACTIVE', partner: { id: reseller.id } }]);

    // The other distributor links only `reseller`: none of these runs through it (onBehalf names `distributor`).
    const theirs = await stack.op('Customers', { first: 50 }, otherDistributor.token);
    expect(theirs.data.customers.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([]);
    expect(errorCode(await stack.gql(`query ($id: ID!) { customer(id: $id) { id } }`, { id: other.id }, otherDistributor.token))).toBe('NOT_FOUND');
    // A reseller sees only its own customers.
    const mine = await stack.op('Customers', { first: 50 }, reseller2.token);
    expect(mine.data.customers.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([other.id]);
  });

  it('Partner: a distributor reads itself and its resellers; others answer NOT_FOUND', async () => {
    const self = await stack.gql(PARTNER, { id: distributor.id }, distributor.token);
    expect(self.errors).toBeUndefined();
    expect(self.data.partner).toMatchObject({ id: distributor.id, tier: 'INDIRECT_PROVIDER', country: 'GB', currency: 'GBP', market: { code: 'UK' }, distributors: [] });
    expect(self.data.partner.resellers.totalCount).toBe(2);
    expect(self.data.partner.resellers.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([reseller.id, reseller2.id]);
    expect(self.data.partner.customers.totalCount).toBe(2);

    const child = await stack.gql(PARTNER, { id: reseller.id }, distributor.token);
    expect(child.errors).toBeUndefined();
    expect(child.data.partner.distributors.map((d: { id: string }) => d.id).sort()).toEqual([distributor.id, otherDistributor.id].sort());
    // Of the reseller's two customers, only the one created through this distributor.
    expect(child.data.partner.customers.totalCount).toBe(1);

    // A reseller does not read its distributor's partner page (other resellers' customers).
    expect(errorCode(await stack.gql(PARTNER, { id: distributor.id }, reseller.token))).toBe('NOT_FOUND');
    const viaField = await stack.gql(`query ($id: ID!) { partner(id: $id) { distributors { id customers { totalCount } } } }`, { id: reseller.id }, reseller.token);
    expect(errorCode(viaField)).toBe('NOT_FOUND');
    expect(errorCode(await stack.gql(PARTNER, { id: 'ptn_missing' }, reseller.token))).toBe('NOT_FOUND');
    const group = await stack.gql(`query ($id: ID!) { partner(id: $id) { adminAgentsGroup { name members { id } } } }`, { id: distributor.id }, distributor.token);
    expect(group.data.partner.adminAgentsGroup).toEqual({ name: 'Admin agents', members: [{ id: distributor.userId }] });
    const op = await stack.gql(PARTNER, { id: distributor.id }, await stack.operatorToken());
    expect(op.data.partner.customers.totalCount).toBe(3);
  });

  it('a partner pages its customers', async () => {
    const direct = await onboardPartner(stack, { tier: 'DIRECT_PROVIDER', country: 'US' });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await createCustomer(stack, direct.token, { country: 'US' })).id);
    const q = `query ($id: ID!, $after: String) { partner(id: $id) { customers(first: 2, after: $after) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } } }`;
    const p1 = await stack.gql(q, { id: direct.id }, direct.token);
    expect(p1.data.partner.customers.totalCount).toBe(3);
    expect(p1.data.partner.customers.pageInfo.hasNextPage).toBe(true);
    const p2 = await stack.gql(q, { id: direct.id, after: p1.data.partner.customers.pageInfo.endCursor }, direct.token);
    expect([...p1.data.partner.customers.edges, ...p2.data.partner.customers.edges].map((e: { node: { id: string } }) => e.node.id)).toEqual(ids);
    expect(p2.data.partner.customers.pageInfo.hasNextPage).toBe(false);
  });
});
