import { errorCode, startStack, type Stack } from '@csp/testkit';
import { ACCEPT_RESELLER_LINK, createCustomer, onboardPartner, seedMarkets, unique, type Actor } from './identity-fixtures';

let stack: Stack;
let partner: Actor;
beforeAll(async () => {
  stack = await startStack('identity-customers', { services: ['identity'] });
  await seedMarkets(stack);
  partner = await onboardPartner(stack, { tier: 'DIRECT_PROVIDER', country: 'DE' });
});
afterAll(() => stack?.stop());

const input = (over: Record<string, unknown> = {}) => {
  const domain = `${unique('d')}.example`;
  return { companyName: unique('Fabrikam '), domain, country: 'DE', adminEmail: `admin@${domain}`, adminPassword: 'customer-password-1', ...over };
};

describe('CreateCustomer (customers.graphql)', () => {
  it('creates the tenant with its first admin user, in the partner currency by default', async () => {
    const i = input();
    const r = await stack.op('CreateCustomer', { input: i }, partner.token);
    expect(r.errors).toBeUndefined();
    expect(r.data.createCustomer.customer).toMatchObject({ companyName: i.companyName, domain: i.domain, country: 'DE', currency: 'EUR' });
    expect(r.data.createCustomer.adminUser.email).toBe(i.adminEmail);
    // ...and establishes the reseller relationship: the partner now sees it.
    const seen = await stack.gql(`query ($id: ID!) { customer(id: $id) { id relationships { status partner { id } } } }`, { id: r.data.createCustomer.customer.id }, partner.token);
    expect(seen.data.customer.relationships).toEqual([{ status: 'ACTIVE', partner: { id: partner.id } }]);
  });

  it('a domain already taken is CONFLICT (in any letter case)', async () => {
    const first = input();
    expect((await stack.op('CreateCustomer', { input: first }, partner.token)).errors).toBeUndefined();
    const again = await stack.op('CreateCustomer', { input: input({ domain: first.domain.toUpperCase() }) }, partner.token);
    expect(errorCode(again)).toBe('CONFLICT');
    expect(again.data?.createCustomer).toBeUndefined();
  });

  it('a country outside the partner market is BAD_USER_INPUT and creates nothing', async () => {
    const i = input({ country: 'US' });
    const r = await stack.op('CreateCustomer', { input: i }, partner.token);
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(await stack.identity.deps.customers.countDocuments({ domain: i.domain })).toBe(0);
    expect(await stack.identity.deps.users.countDocuments({ email: i.adminEmail })).toBe(0);
  });

  it('two concurrent creates with the same domain create one customer', async () => {
    const domain = `${unique('race')}.example`;
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, n) => stack.op('CreateCustomer', { input: input({ domain, adminEmail: `admin${n}@${domain}` }) }, partner.token)),
    );
    const ok = results.filter((r) => r.data?.createCustomer);
    expect(ok).toHaveLength(1);
    expect(results.filter((r) => errorCode(r) === 'CONFLICT')).toHaveLength(3);
    expect(await stack.identity.deps.customers.countDocuments({ domain })).toBe(1);
    // Only the winner's admin account exists.
    expect(await stack.identity.deps.users.countDocuments({ customerId: ok[0].data.createCustomer.customer.id })).toBe(1);
  });

  it('a claim abandoned mid-creation (a crash) frees its domain after ten minutes', async () => {
    const i = input();
    const { customers } = stack.identity.deps;
    await customers.create({ _id: 'cus_abandoned', companyName: 'x', domain: i.domain, country: 'DE', currency: 'EUR', partnerId: partner.id, status: 'PENDING', createdAt: stack.identity.rt.clock.now(), outbox: [] });
    expect(errorCode(await stack.op('CreateCustomer', { input: i }, partner.token))).toBe('CONFLICT');
    await customers.updateOne({ _id: 'cus_abandoned' }, { $set: { createdAt: new Date(stack.identity.rt.clock.now().getTime() - 11 * 60_000) } });
    const r = await stack.op('CreateCustomer', { input: i }, partner.token);
    expect(r.errors).toBeUndefined();
    expect(await customers.countDocuments({ domain: i.domain })).toBe(1);
  });

  it('an email already used is CONFLICT and gives the domain back', async () => {
    const i = input({ adminEmail: partner.email });
    expect(errorCode(await stack.op('CreateCustomer', { input: i }, partner.token))).toBe('CONFLICT');
    expect((await stack.op('CreateCustomer', { input: { ...i, adminEmail: `other@${i.domain}` } }, partner.token)).errors).toBeUndefined();
  });

  it('only partner users create customers; a distributor must name a linked reseller', async () => {
    expect(errorCode(await stack.op('CreateCustomer', { input: input() }, await stack.operatorToken()))).toBe('FORBIDDEN');
    const customer = await createCustomer(stack, partner.token, { country: 'DE' });
    expect(errorCode(await stack.op('CreateCustomer', { input: input() }, customer.token))).toBe('FORBIDDEN');
    const distributor = await onboardPartner(stack, { tier: 'INDIRECT_PROVIDER', country: 'DE' });
    expect(errorCode(await stack.op('CreateCustomer', { input: input() }, distributor.token))).toBe('BAD_USER_INPUT');
  });

  it('associatedResellerId: FORBIDDEN for a non-distributor; NOT_FOUND (like an unknown id) for a reseller not actively linked', async () => {
    const distributor = await onboardPartner(stack, { tier: 'INDIRECT_PROVIDER', country: 'DE' });
    const stranger = await onboardPartner(stack, { tier: 'INDIRECT_RESELLER', country: 'DE' });
    const reseller = await onboardPartner(stack, { tier: 'INDIRECT_RESELLER', country: 'DE' });
    // A direct provider and a reseller may not sell on another's behalf, whatever the id names.
    for (const token of [partner.token, reseller.token]) {
      expect(errorCode(await stack.op('CreateCustomer', { input: input({ associatedResellerId: stranger.id }) }, token))).toBe('FORBIDDEN');
      expect(errorCode(await stack.op('CreateCustomer', { input: input({ associatedResellerId: 'ptn_nowhere' }) }, token))).toBe('FORBIDDEN');
    }
    // A distributor naming a reseller it is not linked to: the same answer as an id that exists nowhere.
    const real = await stack.op('CreateCustomer', { input: input({ associatedResellerId: stranger.id }) }, distributor.token);
    const ghost = await stack.op('CreateCustomer', { input: input({ associatedResellerId: 'ptn_nowhere' }) }, distributor.token);
    expect(errorCode(real)).toBe('NOT_FOUND');
    expect(real.errors![0].message.replace(stranger.id, '<id>')).toBe(ghost.errors![0].message.replace('ptn_nowhere', '<id>'));
    // Invited but not yet accepted: still NOT_FOUND, nothing created.
    expect((await stack.op('LinkReseller', { resellerId: reseller.id }, distributor.token)).errors).toBeUndefined();
    const pending = input({ associatedResellerId: reseller.id });
    expect(errorCode(await stack.op('CreateCustomer', { input: pending }, distributor.token))).toBe('NOT_FOUND');
    // Once the reseller's admin accepts, the same call succeeds (the domain was not taken by the refusal).
    expect((await stack.gql(ACCEPT_RESELLER_LINK, { d: distributor.id }, reseller.token)).errors).toBeUndefined();
    const ok = await stack.op('CreateCustomer', { input: pending }, distributor.token);
    expect(ok.errors).toBeUndefined();
    expect(ok.data.createCustomer.customer.domain).toBe(pending.domain);
  });

  it('rejects malformed input with BAD_USER_INPUT', async () => {
    for (const bad of [{ domain: 'not a domain' }, { country: 'Germany' }, { adminEmail: 'nope' }, { adminPassword: 'short' }, { currency: 'euro' }]) {
      expect(errorCode(await stack.op('CreateCustomer', { input: input(bad) }, partner.token))).toBe('BAD_USER_INPUT');
    }
  });
});

describe('Customers (customers.graphql)', () => {
  let mine: Actor;
  beforeAll(async () => {
    mine = await onboardPartner(stack, { tier: 'DIRECT_PROVIDER', country: 'SE' });
    for (const [name, country] of [
      ['Northwind Traders', 'SE'],
      ['Northwind Logistics', 'DK'],
      ['Tailspin Toys', 'FI'],
      ['Wide World Importers', 'NO'],
      ['Adventure Works', 'SE'],
    ]) {
      await createCustomer(stack, mine.token, { country, companyName: name, domain: `${unique(name.split(' ')[0].toLowerCase())}.example` });
    }
  });

  it('pages with cursors and a total count', async () => {
    const first = await stack.op('Customers', { first: 2 }, mine.token);
    expect(first.errors).toBeUndefined();
    expect(first.data.customers.totalCount).toBe(5);
    expect(first.data.customers.edges.map((e: { node: { companyName: string } }) => e.node.companyName)).toEqual(['Northwind Traders', 'Northwind Logistics']);
    expect(first.data.customers.pageInfo.hasNextPage).toBe(true);
    const names: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await stack.op('Customers', { first: 2, after }, mine.token);
      names.push(...page.data.customers.edges.map((e: { node: { companyName: string } }) => e.node.companyName));
      if (!page.data.customers.pageInfo.hasNextPage) break;
      after = page.data.customers.pageInfo.endCursor;
    }
    expect(names).toEqual(['Northwind Traders', 'Northwind Logistics', 'Tailspin Toys', 'Wide World Importers', 'Adventure Works']);
  });

  it('searches company name or domain, case-insensitively', async () => {
    const r = await stack.op('Customers', { search: 'NORTHWIND' }, mine.token);
    expect(r.data.customers.totalCount).toBe(2);
    expect(r.data.customers.edges.map((e: { node: { country: string } }) => e.node.country)).toEqual(['SE', 'DK']);
    const byDomain = await stack.op('Customers', { search: 'tailspin' }, mine.token);
    expect(byDomain.data.customers.edges.map((e: { node: { companyName: string } }) => e.node.companyName)).toEqual(['Tailspin Toys']);
    const regexChars = await stack.op('Customers', { search: '.*' }, mine.token);
    expect(regexChars.data.customers.totalCount).toBe(0);
  });

  it('shows a partner only its own customers; the operator sees all', async () => {
    const other = await stack.op('Customers', { first: 100 }, partner.token);
    expect(other.data.customers.edges.map((e: { node: { companyName: string } }) => e.node.companyName)).not.toContain('Tailspin Toys');
    const all = await stack.op('Customers', { first: 100 }, await stack.operatorToken());
    expect(all.data.customers.totalCount).toBeGreaterThanOrEqual(other.data.customers.totalCount + 5);
  });

  it('a customer user sees only its own tenant, and another customer answers NOT_FOUND', async () => {
    const a = await createCustomer(stack, mine.token, { country: 'SE' });
    const b = await createCustomer(stack, mine.token, { country: 'SE' });
    const list = await stack.op('Customers', {}, a.token);
    expect(list.data.customers.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([a.id]);
    const q = `query ($id: ID!) { customer(id: $id) { id companyName domain country currency relationships { status partner { id name tier } } users { id email } } }`;
    const own = await stack.gql(q, { id: a.id }, a.token);
    expect(own.errors).toBeUndefined();
    expect(own.data.customer).toMatchObject({ id: a.id, currency: 'SEK', users: [{ id: a.userId, email: a.email }] });
    expect(own.data.customer.relationships).toEqual([{ status: 'ACTIVE', partner: { id: mine.id, name: expect.any(String), tier: 'DIRECT_PROVIDER' } }]);
    const other = await stack.gql(q, { id: b.id }, a.token);
    expect(errorCode(other)).toBe('NOT_FOUND');
    expect(other.data?.customer).toBeUndefined();
    const unknown = await stack.gql(q, { id: 'cus_nope' }, a.token);
    expect(unknown.errors?.[0].message.replace('cus_nope', b.id)).toBe(other.errors?.[0].message);
  });
});
