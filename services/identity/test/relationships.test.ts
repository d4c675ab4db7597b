import { errorCode, startStack, type Stack } from '@csp/testkit';
import { createCustomer, onboardPartner, queuedEvents, seedMarkets, until, type Actor } from './identity-fixtures';

let stack: Stack;
let seller: Actor;
let second: Actor;
let third: Actor;
let customer: Actor & { domain: string };
beforeAll(async () => {
  stack = await startStack('identity-relationships', { services: ['identity'] });
  await seedMarkets(stack);
  [seller, second, third] = await Promise.all([
    onboardPartner(stack, { tier: 'DIRECT_PROVIDER', country: 'DE' }),
    onboardPartner(stack, { tier: 'INDIRECT_RESELLER', country: 'DE' }),
    onboardPartner(stack, { tier: 'DIRECT_PROVIDER', country: 'DE' }),
  ]);
  customer = await createCustomer(stack, seller.token, { country: 'DE' });
});
afterAll(() => stack?.stop());

const CUSTOMER = `query ($id: ID!) { customer(id: $id) { id relationships { status partner { id } } } }`;
const REVOKE = `mutation ($c: ID!) { revokeRelationship(customerId: $c) { relationship { status partner { id } customer { id } } } }`;

describe('multi-partner relationships', () => {
  let code: string;

  it('a second partner asks, the customer admin accepts (CreateRelationshipRequest, AcceptRelationshipRequest)', async () => {
    const before = await stack.gql(CUSTOMER, { id: customer.id }, second.token);
    expect(errorCode(before)).toBe('NOT_FOUND');

    const req = await stack.op('CreateRelationshipRequest', { customerDomain: customer.domain }, second.token);
    expect(req.errors).toBeUndefined();
    code = req.data.createRelationshipRequest.code;
    // The platform clock is pinned per test file: measure against it, not the wall clock.
    const ttl = Date.parse(req.data.createRelationshipRequest.expiresAt) - Date.parse((await stack.op('Clock')).data.clock.now);
    expect(ttl).toBeGreaterThan(6.9 * 24 * 3600e3);
    expect(ttl).toBeLessThan(7.1 * 24 * 3600e3);

    const accepted = await stack.op('AcceptRelationshipRequest', { code }, customer.token);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data.acceptRelationshipRequest.relationship).toEqual({
      status: 'ACTIVE',
      partner: { id: second.id, name: second.name },
      customer: { id: customer.id },
    });
  });

  it('a customer with two partners is visible to both and to no third', async () => {
    for (const p of [seller, second]) {
      const r = await stack.gql(CUSTOMER, { id: customer.id }, p.token);
      expect(r.errors).toBeUndefined();
      // Each partner sees its own relationship only.
      expect(r.data.customer.relationships).toEqual([{ status: 'ACTIVE', partner: { id: p.id } }]);
      const list = await stack.op('Customers', { first: 100 }, p.token);
      expect(list.data.customers.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(customer.id);
    }
    expect(errorCode(await stack.gql(CUSTOMER, { id: customer.id }, third.token))).toBe('NOT_FOUND');
    const thirdList = await stack.op('Customers', { first: 100 }, third.token);
    expect(thirdList.data.customers.totalCount).toBe(0);
    // The customer sees both partners.
    const own = await stack.gql(CUSTOMER, { id: customer.id }, customer.token);
    expect(own.data.customer.relationships.map((r: { partner: { id: string } }) => r.partner.id).sort()).toEqual([seller.id, second.id].sort());
  });

  it('a used code is refused', async () => {
    const again = await stack.op('AcceptRelationshipRequest', { code }, customer.token);
    expect(errorCode(again)).toBe('BAD_USER_INPUT');
    expect(again.errors?.[0].message).toMatch(/already been used/);
  });

  it('a code accepted twice at once is used once', async () => {
    const other = await createCustomer(stack, seller.token, { country: 'DE' });
    const { data } = await stack.op('CreateRelationshipRequest', { customerDomain: other.domain }, third.token);
    const results = await Promise.all(Array.from({ length: 4 }, () => stack.op('AcceptRelationshipRequest', { code: data.createRelationshipRequest.code }, other.token)));
    expect(results.filter((r) => r.data?.acceptRelationshipRequest)).toHaveLength(1);
    expect(results.filter((r) => errorCode(r) === 'BAD_USER_INPUT')).toHaveLength(3);
  });

  it("another customer's code answers NOT_FOUND and stays usable", async () => {
    const other = await createCustomer(stack, seller.token, { country: 'DE' });
    const { data } = await stack.op('CreateRelationshipRequest', { customerDomain: other.domain }, second.token);
    expect(errorCode(await stack.op('AcceptRelationshipRequest', { code: data.createRelationshipRequest.code }, customer.token))).toBe('NOT_FOUND');
    expect(errorCode(await stack.op('AcceptRelationshipRequest', { code: 'made-up-code' }, customer.token))).toBe('NOT_FOUND');
    expect((await stack.op('AcceptRelationshipRequest', { code: data.createRelationshipRequest.code }, other.token)).errors).toBeUndefined();
  });

  it('hole 5: unknown domain, another market and an existing relationship answer alike (no oracle); none of those codes opens anything', async () => {
    const american = await onboardPartner(stack, { tier: 'DIRECT_PROVIDER', country: 'US' });
    const shape = (r: { data?: { createRelationshipRequest?: { code: string; expiresAt: string } } | null; errors?: unknown[] }) => ({
      errors: r.errors,
      codeLength: r.data?.createRelationshipRequest?.code.length,
      ttl: r.data?.createRelationshipRequest ? Date.parse(r.data.createRelationshipRequest.expiresAt) - Date.parse((await_clock as string)) : null,
    });
    const await_clock = (await stack.op('Clock')).data.clock.now as string;
    const answers = [
      await stack.op('CreateRelationshipRequest', { customerDomain: customer.domain }, american.token), // another market
      await stack.op('CreateRelationshipRequest', { customerDomain: customer.domain }, seller.token), // already related
      await stack.op('CreateRelationshipRequest', { customerDomain: 'unknown-domain.example' }, third.token), // nowhere
      await stack.op('CreateRelationshipRequest', { customerDomain: customer.domain }, third.token), // a real request
    ];
    const shapes = answers.map(shape);
    for (const s of shapes) expect({ ...s, ttl: Math.round((s.ttl ?? 0) / 60_000) }).toEqual({ ...shapes[3], ttl: Math.round((shapes[3].ttl ?? 0) / 60_000) });
    // The decoys are refused like a code that never existed.
    const never = await stack.op('AcceptRelationshipRequest', { code: 'never-issued-code-0000000' }, customer.token);
    for (const r of answers.slice(0, 2)) {
      const a = await stack.op('AcceptRelationshipRequest', { code: r.data.createRelationshipRequest.code }, customer.token);
      expect(a.errors).toEqual(never.errors);
    }
    expect(errorCode(await stack.op('CreateRelationshipRequest', { customerDomain: customer.domain }, customer.token))).toBe('FORBIDDEN');
  });

  it('only the customer accepts', async () => {
    const { data } = await stack.op('CreateRelationshipRequest', { customerDomain: customer.domain }, third.token);
    expect(errorCode(await stack.op('AcceptRelationshipRequest', { code: data.createRelationshipRequest.code }, third.token))).toBe('FORBIDDEN');
  });

  it('a partner revokes its relationship and loses sight of the customer; events tell the others', async () => {
    const r = await stack.gql(REVOKE, { c: customer.id }, second.token);
    expect(r.errors).toBeUndefined();
    expect(r.data.revokeRelationship.relationship).toEqual({ status: 'REVOKED', partner: { id: second.id }, customer: { id: customer.id } });
    expect(errorCode(await stack.gql(CUSTOMER, { id: customer.id }, second.token))).toBe('NOT_FOUND');
    expect((await stack.gql(CUSTOMER, { id: customer.id }, seller.token)).errors).toBeUndefined();
    expect(errorCode(await stack.gql(REVOKE, { c: customer.id }, second.token))).toBe('NOT_FOUND');

    const events = await until('relationship events', async () => {
      const evs = await queuedEvents(stack, 'access-control');
      const mine = evs.filter((e) => e.payload.customerId === customer.id && String(e.type).startsWith('relationship.'));
      return mine.length >= 3 && mine;
    });
    expect(events.map((e) => [e.type, e.payload.partnerId]).sort()).toEqual(
      [
        ['relationship.established', seller.id],
        ['relationship.established', second.id],
        ['relationship.revoked', second.id],
      ].sort(),
    );
    const created = (await queuedEvents(stack, 'billing', 'customer.created')).find((e) => e.payload.customerId === customer.id);
    expect(created?.payload).toMatchObject({ partnerId: seller.id, domain: customer.domain, country: 'DE', currency: 'EUR' });
  });

  // Moves the platform clock: keep last in this file.
  it('an expired code is refused', async () => {
    const { data } = await stack.op('CreateRelationshipRequest', { customerDomain: customer.domain }, second.token);
    const expiresAt = Date.parse(data.createRelationshipRequest.expiresAt);
    await stack.identity.rt.clock.advance(new Date(expiresAt + 60_000));
    const r = await stack.op('AcceptRelationshipRequest', { code: data.createRelationshipRequest.code }, customer.token);
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0].message).toMatch(/expired/);
    expect(errorCode(await stack.gql(CUSTOMER, { id: customer.id }, second.token))).toBe('NOT_FOUND');
  });
});
