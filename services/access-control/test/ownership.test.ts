import { errorCode, internalHeaders, startStack, type Stack } from '@csp/testkit';
import { announceUsers, createCustomer, eventually, onboardPartner, partnerGroup, subFacts, subScope } from './helpers';

/**
 * Scopes against ownership: a scope naming a subscription exists only under that subscription's
 * real customer, and rights reaching a subscription from the customer scope (GDAP) come only
 * from the partner that sells it. CB works with A and U (multi-partner); U also owns CU.
 */
let stack: Stack;
const A = 'prt_owna';
const A_AGENTS = 'grp_ownaagents';
const U = 'prt_ownu';
const U_AGENTS = 'grp_ownuagents';
const CB = 'cus_ownb';
const CU = 'cus_ownu';
const SA = 'sub_ownasold'; // A sold it to CB: A's seed OWNER
const SU = 'sub_ownusold'; // U sold it to CB: facts only, no seed yet (GDAP is U's only way in)
const SCU = 'sub_ownucu'; // U sold it to CU: U's seed OWNER
let a: string;
let u: string;
let cbAdmin: string;
let operator: string;

const check = async (token: string, scope: string, action = 'subscription/read') => {
  const r = await stack.op('CheckAccess', { scope, action }, token);
  expect(r.errors).toBeUndefined();
  return r.data.checkAccess as { allowed: boolean; reason: string };
};

/** U's GDAP on a customer, approved, with U's admin agents mapped to `role`. */
async function gdap(customerId: string, customerToken: string, role: 'READER' | 'OWNER') {
  const req = await stack.op('RequestAdminRelationship', { customerId, duration: 'P30D', roles: [role] }, u);
  expect(req.errors).toBeUndefined();
  const id = req.data.requestAdminRelationship.relationship.id as string;
  expect((await stack.op('ApproveAdminRelationship', { id }, customerToken)).errors).toBeUndefined();
  expect((await stack.op('AssignAdminAccess', { relationshipId: id, groupId: U_AGENTS, roles: [role] }, u)).errors).toBeUndefined();
}

beforeAll(async () => {
  stack = await startStack('access-ownership', { services: ['access-control'] });
  await onboardPartner(stack, A, A_AGENTS);
  await onboardPartner(stack, U, U_AGENTS);
  await partnerGroup(stack, A_AGENTS, A, ['usr_owna']);
  await partnerGroup(stack, U_AGENTS, U, ['usr_ownu']);
  await createCustomer(stack, CB, A);
  await createCustomer(stack, CU, U);
  // CB's second partner.
  await stack.publish('relationship.established', { customerId: CB, partnerId: U });
  await stack.publish('subscription.activated', { ...subFacts(SA, CB, A), adminAgentsGroupId: A_AGENTS });
  await stack.publish('subscription.created', subFacts(SU, CB, U));
  await stack.publish('subscription.activated', { ...subFacts(SCU, CU, U), adminAgentsGroupId: U_AGENTS });
  await announceUsers(stack, [
    { userId: 'usr_ownbadmin', customerId: CB },
    { userId: 'usr_ownbother', customerId: CB },
    { userId: 'usr_ownuadmin', customerId: CU },
  ]);
  a = await stack.mint({ userId: 'usr_owna', kind: 'PARTNER_USER', partnerId: A, groupIds: [A_AGENTS] });
  u = await stack.mint({ userId: 'usr_ownu', kind: 'PARTNER_USER', partnerId: U, groupIds: [U_AGENTS] });
  cbAdmin = await stack.mint({ userId: 'usr_ownbadmin', kind: 'CUSTOMER_USER', customerId: CB });
  const cuAdmin = await stack.mint({ userId: 'usr_ownuadmin', kind: 'CUSTOMER_USER', customerId: CU });
  operator = await stack.operatorToken();
  await eventually(async () => (await check(a, subScope(CB, SA), 'roleAssignments/write')).allowed);
  await eventually(async () => (await check(u, subScope(CU, SCU), 'roleAssignments/write')).allowed);
  // A lets CB's admin read its subscription: an assignment U must not see.
  expect((await stack.op('GrantRole', { input: { principalId: 'usr_ownbadmin', role: 'READER', scope: subScope(CB, SA) } }, a)).errors).toBeUndefined();
  await eventually(async () => stack.op('RequestAdminRelationship', { customerId: CB, duration: 'P1D', roles: ['READER'] }, u).then((r) => !r.errors));
  await gdap(CB, cbAdmin, 'OWNER');
  await gdap(CU, cuAdmin, 'READER');
});
afterAll(() => stack?.stop());

/** Nothing in `text` says that A (or anything of A's) is behind the subscription. */
const namesA = (text: string) => [A, A_AGENTS, 'usr_owna'].filter((x) => text.includes(x));

describe("GDAP reaches only the subscriptions of the relationship's partner", () => {
  it('U, with GDAP on CB, reads CB itself and what U sold CB', async () => {
    const customer = await check(u, `/customers/${CB}`);
    expect(customer.allowed).toBe(true);
    expect(customer.reason).toMatch(/admin relationship/);
    const own = await check(u, subScope(CB, SU));
    expect(own.allowed).toBe(true);
    expect(own.reason).toMatch(/admin relationship/);
  });

  it('does not reach the subscription A sold CB: denied like any other, nothing of A in the answers', async () => {
    for (const action of ['subscription/read', 'roleAssignments/read']) {
      const d = await check(u, subScope(CB, SA), action);
      expect(d.allowed).toBe(false);
      expect(namesA(d.reason)).toEqual([]);
      // Exactly the answer for a subscription that exists nowhere.
      const ghost = await check(u, subScope(CB, 'sub_nowhere'), action);
      expect(d.reason.replace(SA, '<id>')).toBe(ghost.reason.replace('sub_nowhere', '<id>'));
    }
    const list = await stack.op('RoleAssignments', { scope: subScope(CB, SA) }, u);
    expect(errorCode(list)).toBe('NOT_FOUND');
    expect(namesA(JSON.stringify(list))).toEqual([]);
    const ghostList = await stack.op('RoleAssignments', { scope: subScope(CB, 'sub_nowhere') }, u);
    expect(list.errors![0].message.replace(SA, '<id>')).toBe(ghostList.errors![0].message.replace('sub_nowhere', '<id>'));
  });

  it("listing CB's assignments shows U none of those on A's subscription; A still sees them", async () => {
    const mine = await stack.op('RoleAssignments', { scope: `/customers/${CB}` }, u);
    expect(mine.errors).toBeUndefined();
    expect(namesA(JSON.stringify(mine))).toEqual([]);
    expect(JSON.stringify(mine)).not.toContain(SA);
    const as = await stack.op('RoleAssignments', { scope: subScope(CB, SA) }, a);
    expect(as.data.roleAssignments.map((x: { principal: { id: string } }) => x.principal.id).sort()).toEqual([A_AGENTS, 'usr_ownbadmin']);
  });

  it('a role U grants on the customer scope through its GDAP reaches only what U sold CB', async () => {
    const other = await stack.mint({ userId: 'usr_ownbother', kind: 'CUSTOMER_USER', customerId: CB });
    const toUser = await stack.op('GrantRole', { input: { principalId: 'usr_ownbother', role: 'READER', scope: `/customers/${CB}` } }, u);
    expect(toUser.errors).toBeUndefined();
    const toSelf = await stack.op('GrantRole', { input: { principalId: U_AGENTS, role: 'OWNER', scope: `/customers/${CB}` } }, u);
    expect(toSelf.errors).toBeUndefined();
    expect((await check(other, `/customers/${CB}`)).allowed).toBe(true);
    expect((await check(other, subScope(CB, SU))).allowed).toBe(true);
    expect((await check(other, subScope(CB, SA))).allowed).toBe(false);
    expect((await check(u, subScope(CB, SA), 'roleAssignments/write')).allowed).toBe(false);
    expect(errorCode(await stack.op('GrantRole', { input: { principalId: U_AGENTS, role: 'OWNER', scope: subScope(CB, SA) } }, u))).toBe('NOT_FOUND');
    // A's own subscription is unchanged for A.
    expect((await check(a, subScope(CB, SA), 'roleAssignments/write')).allowed).toBe(true);
  });

  it("each partner's customer-wide grants are listed only with what they reach: U sees none of A's", async () => {
    // A holds GDAP on CB too and lets CB's admin read CB customer-wide.
    const req = await stack.op('RequestAdminRelationship', { customerId: CB, duration: 'P30D', roles: ['OWNER'] }, a);
    const id = req.data.requestAdminRelationship.relationship.id as string;
    expect((await stack.op('ApproveAdminRelationship', { id }, cbAdmin)).errors).toBeUndefined();
    expect((await stack.op('AssignAdminAccess', { relationshipId: id, groupId: A_AGENTS, roles: ['OWNER'] }, a)).errors).toBeUndefined();
    const byA = await stack.op('GrantRole', { input: { principalId: 'usr_ownbadmin', role: 'READER', scope: `/customers/${CB}` } }, a);
    expect(byA.errors).toBeUndefined();
    const idOf = (r: { data?: { roleAssignments?: Array<{ id: string }> } }) => (r.data?.roleAssignments ?? []).map((x) => x.id);

    const customerAsU = await stack.op('RoleAssignments', { scope: `/customers/${CB}` }, u);
    expect(customerAsU.errors).toBeUndefined();
    expect(idOf(customerAsU)).not.toContain(byA.data.grantRole.assignment.id);
    expect(namesA(JSON.stringify(customerAsU))).toEqual([]);
    const customerAsA = await stack.op('RoleAssignments', { scope: `/customers/${CB}` }, a);
    expect(idOf(customerAsA)).toContain(byA.data.grantRole.assignment.id);
    // Nor can U remove it by id (it is not there for U), though U holds OWNER on CB through GDAP.
    expect(errorCode(await stack.op('RevokeRole', { assignmentId: byA.data.grantRole.assignment.id }, u))).toBe('NOT_FOUND');
    // Inherited: listed on A's subscription (it applies there), not on U's.
    expect(idOf(await stack.op('RoleAssignments', { scope: subScope(CB, SA) }, a))).toContain(byA.data.grantRole.assignment.id);
    const onSU = await stack.op('RoleAssignments', { scope: subScope(CB, SU) }, u);
    expect(onSU.errors).toBeUndefined();
    expect(namesA(JSON.stringify(onSU))).toEqual([]);
    // The same on the CloudSubscription entity field.
    const res = await fetch(`${stack.services['access-control']!.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${u}`, ...internalHeaders(stack.env.INTERNAL_SECRET!, `Bearer ${u}`) },
      body: JSON.stringify({
        query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on CloudSubscription { id roleAssignments { id grantedBy { id } principal { id } } } } }',
        variables: { r: [{ __typename: 'CloudSubscription', id: SU }, { __typename: 'CloudSubscription', id: SA }] },
      }),
    });
    const [su, sa] = (await res.json()).data._entities;
    expect(su.roleAssignments.length).toBeGreaterThan(0);
    expect(namesA(JSON.stringify(su))).toEqual([]);
    expect(sa.roleAssignments).toEqual([]);
  });

  it("a role on A's subscription that A's Owner gives U's group applies: the subscription's Owner decides", async () => {
    const g = await stack.op('GrantRole', { input: { principalId: U_AGENTS, role: 'READER', scope: subScope(CB, SA) } }, a);
    expect(g.errors).toBeUndefined();
    try {
      const d = await check(u, subScope(CB, SA));
      expect(d.allowed).toBe(true);
      expect(d.reason).toContain(g.data.grantRole.assignment.id);
    } finally {
      await stack.op('RevokeRole', { assignmentId: g.data.grantRole.assignment.id }, a);
    }
  });
});

describe('a scope naming a subscription must name its real customer', () => {
  const bent: Array<[string, string]> = [
    ["U's own customer (GDAP), A's subscription", subScope(CU, SA)],
    ["CB (GDAP), U's own subscription of CU", subScope(CB, SCU)],
    ["U's own customer, A's subscription's service", `${subScope(CU, SA)}/services/web`],
  ];
  for (const [name, scope] of bent) {
    it(`${name}: denied, and grant/list answer NOT_FOUND like a scope that exists nowhere`, async () => {
      const d = await check(u, scope);
      expect(d.allowed).toBe(false);
      expect(namesA(d.reason)).toEqual([]);
      expect(d.reason).not.toContain(CB === scope.split('/')[2] ? CU : CB);
      const grant = await stack.op('GrantRole', { input: { principalId: U_AGENTS, role: 'READER', scope } }, u);
      expect(errorCode(grant)).toBe('NOT_FOUND');
      expect(errorCode(await stack.op('RoleAssignments', { scope }, u))).toBe('NOT_FOUND');
    });
  }

  it('not even the operator reads a scope that names a subscription under another customer', async () => {
    expect((await check(operator, subScope(CB, SA))).allowed).toBe(true);
    expect((await check(operator, subScope(CU, SA))).allowed).toBe(false);
  });

  it('an unknown subscription is denied even under a customer the caller administers, until its facts arrive', async () => {
    const later = 'sub_ownlater';
    // U's GDAP on CU would cover any subscription of CU; one nobody announced does not exist yet.
    const before = await check(u, subScope(CU, later));
    expect(before.allowed).toBe(false);
    expect(errorCode(await stack.op('RoleAssignments', { scope: subScope(CU, later) }, u))).toBe('NOT_FOUND');
    await stack.publish('subscription.created', subFacts(later, CU, U));
    // The cached denial does not outlive the facts.
    const after = await eventually(async () => {
      const d = await check(u, subScope(CU, later));
      return d.allowed && d;
    });
    expect(after.reason).toMatch(/admin relationship/);
  });
});
