import { createAccessClient } from '@csp/access-client';
import { errorCode, internalHeaders, startStack, storeCommandsOf, type Stack } from '@csp/testkit';
import { accessDeps, announceUsers, createCustomer, eventually, onboardPartner, partnerGroup, subFacts, subScope } from './helpers';

/**
 * Access control through the gateway: seed rule, grants and revokes, inheritance down the
 * scope tree, the Owner warning, idempotent grants, the internal fast path.
 */
let stack: Stack;
const P = 'prt_direct1';
const AGENTS = 'grp_direct1agents';
const C = 'cus_one';
const S = 'sub_one';
const S2 = 'sub_two';
let partnerUser: string;
let customerUser: string;

beforeAll(async () => {
  stack = await startStack('access-rbac', { services: ['access-control'] });
  await onboardPartner(stack, P, AGENTS);
  await partnerGroup(stack, AGENTS, P, ['usr_partneradmin']);
  await createCustomer(stack, C, P);
  await stack.publish('subscription.created', subFacts(S, C, P));
  await stack.publish('subscription.activated', { ...subFacts(S, C, P), adminAgentsGroupId: AGENTS });
  await stack.publish('subscription.activated', { ...subFacts(S2, C, P), adminAgentsGroupId: AGENTS });
  await announceUsers(stack, [
    { userId: 'usr_partneradmin', partnerId: P },
    ...['usr_custadmin', 'usr_reader', 'usr_dev', 'usr_twice', 'usr_temp'].map((userId) => ({ userId, customerId: C })),
    { userId: 'usr_foreign', customerId: 'cus_other' },
  ]);
  partnerUser = await stack.mint({ userId: 'usr_partneradmin', kind: 'PARTNER_USER', partnerId: P, groupIds: [AGENTS] });
  customerUser = await stack.mint({ userId: 'usr_custadmin', kind: 'CUSTOMER_USER', customerId: C });
  await eventually(async () => (await stack.op('RoleAssignments', { scope: subScope(C, S2) }, partnerUser)).data?.roleAssignments?.length);
});
afterAll(() => stack?.stop());

const check = async (token: string, scope: string, action: string) => {
  const r = await stack.op('CheckAccess', { scope, action }, token);
  expect(r.errors).toBeUndefined();
  return r.data.checkAccess as { allowed: boolean; reason: string };
};
const grant = (token: string, principalId: string, role: string, scope: string) =>
  stack.op('GrantRole', { input: { principalId, role, scope } }, token);

describe('the partner controls access (seed rule)', () => {
  it('a new subscription makes the partner admin-agents group OWNER and gives the customer nothing', async () => {
    const r = await stack.op('RoleAssignments', { scope: subScope(C, S) }, partnerUser);
    expect(r.errors).toBeUndefined();
    expect(r.data.roleAssignments).toEqual([
      expect.objectContaining({ role: 'OWNER', scope: subScope(C, S), principal: { id: AGENTS }, grantedBy: null }),
    ]);
    const owner = await check(partnerUser, subScope(C, S), 'roleAssignments/write');
    expect(owner.allowed).toBe(true);
    expect(owner.reason).toMatch(/OWNER for grp_direct1agents/);

    for (const action of ['subscription/read', 'subscription/manage', 'billing/read']) {
      const d = await check(customerUser, subScope(C, S), action);
      expect(d).toMatchObject({ allowed: false });
      expect(d.reason).toMatch(/No role assignment/);
    }
    const hidden = await stack.op('RoleAssignments', { scope: subScope(C, S) }, customerUser);
    expect(errorCode(hidden)).toBe('NOT_FOUND');
  });

  it('a redelivered activation leaves one seed assignment', async () => {
    await stack.publish('subscription.activated', { ...subFacts(S, C, P), adminAgentsGroupId: AGENTS });
    const ev = await stack.publish('subscription.activated', { ...subFacts(S, C, P), adminAgentsGroupId: AGENTS });
    await stack.publish('subscription.activated', ev.payload, ev.id);
    // A later event for another subscription marks that the redeliveries were consumed too.
    await stack.publish('subscription.activated', { ...subFacts('sub_marker', C, P), adminAgentsGroupId: AGENTS });
    await eventually(async () => (await stack.op('RoleAssignments', { scope: subScope(C, 'sub_marker') }, partnerUser)).data?.roleAssignments?.length);
    await new Promise((r) => setTimeout(r, 500));
    expect(await accessDeps(stack).models.assignments.countDocuments({ scope: subScope(C, S), principalId: AGENTS })).toBe(1);
  });

  it('shows the assignments on the CloudSubscription entity only to those who may read them', async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on CloudSubscription { id roleAssignments { role principal { id } } } } }`;
    const url = `${stack.services['access-control']!.url}/graphql`;
    const ask = async (token: string) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...internalHeaders(stack.env.INTERNAL_SECRET!, `Bearer ${token}`) },
        body: JSON.stringify({ query, variables: { r: [{ __typename: 'CloudSubscription', id: S }, { __typename: 'CloudSubscription', id: 'sub_unknown' }] } }),
      });
      return (await res.json()).data._entities;
    };
    expect(await ask(partnerUser)).toEqual([
      { id: S, roleAssignments: [{ role: 'OWNER', principal: { id: AGENTS } }] },
      { id: 'sub_unknown', roleAssignments: [] },
    ]);
    expect(await ask(customerUser)).toEqual([
      { id: S, roleAssignments: [] },
      { id: 'sub_unknown', roleAssignments: [] },
    ]);
  });

  it('the operator reads every scope but may not manage or grant', async () => {
    const op = await stack.operatorToken();
    expect((await check(op, subScope(C, S), 'subscription/read')).allowed).toBe(true);
    expect((await check(op, subScope(C, S), 'subscription/manage')).allowed).toBe(false);
    expect(errorCode(await grant(op, 'usr_someone', 'READER', subScope(C, S)))).toBe('FORBIDDEN');
  });
});

describe('granting and revoking', () => {
  it('a READER cannot grant', async () => {
    const g = await grant(partnerUser, 'usr_reader', 'READER', subScope(C, S));
    expect(g.errors).toBeUndefined();
    expect(g.data.grantRole.warnings).toEqual([]);
    const reader = await stack.mint({ userId: 'usr_reader', kind: 'CUSTOMER_USER', customerId: C });
    expect((await check(reader, subScope(C, S), 'subscription/read')).allowed).toBe(true);
    expect((await check(reader, subScope(C, S), 'subscription/manage')).allowed).toBe(false);
    const r = await grant(reader, 'usr_reader', 'OWNER', subScope(C, S));
    expect(errorCode(r)).toBe('FORBIDDEN');
    expect(r.errors![0].message).toMatch(/Only an Owner/);
    const list = await stack.op('RoleAssignments', { scope: subScope(C, S) }, reader);
    expect(list.data.roleAssignments.map((a: { role: string }) => a.role).sort()).toEqual(['OWNER', 'READER']);
  });

  it('a CONTRIBUTOR on a service scope can manage that service and no other', async () => {
    const web = `${subScope(C, S)}/services/web`;
    const g = await grant(partnerUser, 'usr_dev', 'CONTRIBUTOR', web);
    expect(g.errors).toBeUndefined();
    expect(g.data.grantRole.assignment).toMatchObject({ role: 'CONTRIBUTOR', scope: web, principal: { id: 'usr_dev' } });
    const dev = await stack.mint({ userId: 'usr_dev', kind: 'CUSTOMER_USER', customerId: C });
    const ok = await check(dev, web, 'subscription/manage');
    expect(ok.allowed).toBe(true);
    expect(ok.reason).toMatch(/CONTRIBUTOR for usr_dev on .*services\/web/);
    expect((await check(dev, `${subScope(C, S)}/services/db`, 'subscription/manage')).allowed).toBe(false);
    expect((await check(dev, subScope(C, S), 'subscription/manage')).allowed).toBe(false);
    expect((await check(dev, `${subScope(C, S2)}/services/web`, 'subscription/manage')).allowed).toBe(false);
    expect((await check(dev, web, 'roleAssignments/write')).allowed).toBe(false);
    // The partner's Owner on the subscription applies below it.
    const inherited = await check(partnerUser, web, 'subscription/manage');
    expect(inherited.allowed).toBe(true);
    expect(inherited.reason).toMatch(/inherited/);
  });

  it('granting OWNER to a customer principal succeeds with a warning', async () => {
    const g = await grant(partnerUser, 'usr_custadmin', 'OWNER', subScope(C, S2));
    expect(g.errors).toBeUndefined();
    expect(g.data.grantRole.assignment).toMatchObject({ role: 'OWNER', principal: { id: 'usr_custadmin' } });
    expect(g.data.grantRole.warnings).toEqual([expect.stringMatching(/Owner can add and remove other users/)]);
  });

  it('a customer Owner may remove the partner\'s OWNER, and the audit records who did', async () => {
    await grant(partnerUser, 'usr_custadmin', 'OWNER', subScope(C, S2));
    const list = await stack.op('RoleAssignments', { scope: subScope(C, S2) }, customerUser);
    const partnerOwner = list.data.roleAssignments.find((a: { principal: { id: string } }) => a.principal.id === AGENTS);
    const r = await stack.op('RevokeRole', { assignmentId: partnerOwner.id }, customerUser);
    expect(r.errors).toBeUndefined();
    expect(r.data.revokeRole.assignment.id).toBe(partnerOwner.id);
    expect((await check(partnerUser, subScope(C, S2), 'subscription/read')).allowed).toBe(false);
    const audit = await accessDeps(stack).models.audit.findOne({ targetId: partnerOwner.id, action: 'roleAssignment.revoked' }).lean();
    expect(audit).toMatchObject({ actorId: 'usr_custadmin', actorKind: 'CUSTOMER_USER', details: { principalId: AGENTS, role: 'OWNER' } });
    expect(audit!.at).toBeInstanceOf(Date);
  });

  it('the same grant twice leaves one assignment', async () => {
    const a = await grant(partnerUser, 'usr_twice', 'READER', subScope(C, S));
    const [b, c] = await Promise.all([
      grant(partnerUser, 'usr_twice', 'READER', subScope(C, S)),
      grant(partnerUser, 'usr_twice', 'READER', subScope(C, S)),
    ]);
    expect(b.data.grantRole.assignment.id).toBe(a.data.grantRole.assignment.id);
    expect(c.data.grantRole.assignment.id).toBe(a.data.grantRole.assignment.id);
    const list = await stack.op('RoleAssignments', { scope: subScope(C, S) }, partnerUser);
    expect(list.data.roleAssignments.filter((x: { principal: { id: string } }) => x.principal.id === 'usr_twice')).toHaveLength(1);
    expect(await accessDeps(stack).models.audit.countDocuments({ targetId: a.data.grantRole.assignment.id })).toBe(1);
  });

  it('revoking a role takes effect for the next request through the gateway and the fast path', async () => {
    const g = await grant(partnerUser, 'usr_temp', 'CONTRIBUTOR', subScope(C, S));
    const temp = await stack.mint({ userId: 'usr_temp', kind: 'CUSTOMER_USER', customerId: C });
    const client = createAccessClient({ url: stack.services['access-control']!.url, internalSecret: stack.env.INTERNAL_SECRET! });
    // Warm the decision cache first: the revoke must invalidate it.
    expect((await check(temp, subScope(C, S), 'subscription/manage')).allowed).toBe(true);
    expect((await client.authorize(`Bearer ${temp}`, subScope(C, S), 'subscription/manage')).allowed).toBe(true);
    const r = await stack.op('RevokeRole', { assignmentId: g.data.grantRole.assignment.id }, partnerUser);
    expect(r.errors).toBeUndefined();
    expect((await check(temp, subScope(C, S), 'subscription/manage')).allowed).toBe(false);
    const fast = await client.authorize(`Bearer ${temp}`, subScope(C, S), 'subscription/manage');
    expect(fast.allowed).toBe(false);
    await expect(client.require(`Bearer ${temp}`, subScope(C, S), 'subscription/manage')).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    const again = await stack.op('RevokeRole', { assignmentId: g.data.grantRole.assignment.id }, partnerUser);
    expect(errorCode(again)).toBe('NOT_FOUND');
  });

  it("hole 8: a user of another customer, or of a partner without business with it, cannot be given a role (NOT_FOUND, as an unknown user)", async () => {
    await announceUsers(stack, [{ userId: 'usr_otherpartner', partnerId: 'prt_nobusiness' }]);
    for (const principal of ['usr_foreign', 'usr_otherpartner']) {
      const g = await grant(partnerUser, principal, 'CONTRIBUTOR', subScope(C, S));
      const ghost = await grant(partnerUser, 'usr_nowhere', 'CONTRIBUTOR', subScope(C, S));
      expect(errorCode(g)).toBe('NOT_FOUND');
      expect(g.errors![0].message.replace(principal, '<id>')).toBe(ghost.errors![0].message.replace('usr_nowhere', '<id>'));
      expect(await accessDeps(stack).models.assignments.countDocuments({ principalId: principal })).toBe(0);
    }
    // Even so, a customer user never acts outside its own tenant (defence in depth).
    const foreign = await stack.mint({ userId: 'usr_foreign', kind: 'CUSTOMER_USER', customerId: 'cus_other' });
    const d = await check(foreign, subScope(C, S), 'subscription/read');
    expect(d.allowed).toBe(false);
    expect(d.reason).toMatch(/own customer/);
  });

  it('a revoke by someone who cannot see the scope answers NOT_FOUND', async () => {
    const list = await stack.op('RoleAssignments', { scope: subScope(C, S) }, partnerUser);
    const stranger = await stack.mint({ userId: 'usr_stranger', kind: 'CUSTOMER_USER', customerId: 'cus_other' });
    expect(errorCode(await stack.op('RevokeRole', { assignmentId: list.data.roleAssignments[0].id }, stranger))).toBe('NOT_FOUND');
  });

  it('validates input', async () => {
    expect(errorCode(await grant(partnerUser, 'usr_x', 'OWNER', '/customers/'))).toBe('BAD_USER_INPUT');
    expect(errorCode(await grant(partnerUser, 'usr_x', 'OWNER', `${subScope(C, S)}/things/x`))).toBe('BAD_USER_INPUT');
    expect(errorCode(await grant(partnerUser, 'usr_x', 'ADMIN', subScope(C, S)))).toBe('BAD_USER_INPUT');
    expect(errorCode(await grant(partnerUser, 'bob', 'READER', subScope(C, S)))).toBe('BAD_USER_INPUT');
    expect(errorCode(await grant(partnerUser, 'grp_nobody', 'READER', subScope(C, S)))).toBe('NOT_FOUND');
    expect(errorCode(await stack.op('CheckAccess', { scope: 'customers/x', action: 'subscription/read' }, partnerUser))).toBe('BAD_USER_INPUT');
    expect(errorCode(await stack.op('CheckAccess', { scope: subScope(C, S), action: 'subscription/read' }))).toBe('UNAUTHENTICATED');
  });

  it('the fast path verifies the bearer token itself', async () => {
    const client = createAccessClient({ url: stack.services['access-control']!.url, internalSecret: stack.env.INTERNAL_SECRET! });
    await expect(client.authorize('Bearer not.a.token', subScope(C, S), 'subscription/read')).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    await expect(client.authorize(undefined, subScope(C, S), 'subscription/read')).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    await expect(client.authorize(`Bearer ${partnerUser}`, 'nope', 'subscription/read')).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    const ok = await client.authorize(`Bearer ${partnerUser}`, subScope(C, S), 'subscription/read');
    expect(ok).toMatchObject({ allowed: true });
    const many = await client.authorizeMany(`Bearer ${partnerUser}`, [
      { scope: subScope(C, S), action: 'subscription/read' },
      { scope: subScope('cus_other', 'sub_other'), action: 'subscription/read' },
      { scope: `${subScope(C, S)}/services/web`, action: 'roleAssignments/write' },
    ]);
    expect(many.map((a) => a.allowed)).toEqual([true, false, true]);
    await expect(client.authorizeMany(`Bearer ${partnerUser}`, [{ scope: 'bad', action: 'x' }])).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('group membership changes from identity apply to decisions', async () => {
    const helper = await stack.mint({ userId: 'usr_leaver', kind: 'PARTNER_USER', partnerId: P, groupIds: [AGENTS] });
    // Once identity has announced AGENTS' members (without usr_leaver), the read model wins over the token's claim.
    await partnerGroup(stack, AGENTS, P, ['usr_partneradmin']);
    await eventually(async () => !(await check(helper, subScope(C, S), 'subscription/read')).allowed);
    await new Promise((r) => setTimeout(r, 5)); // the next announcement must carry a later time
    await partnerGroup(stack, AGENTS, P, ['usr_partneradmin', 'usr_leaver']);
    await eventually(async () => (await check(helper, subScope(C, S), 'subscription/read')).allowed);
  });
});

describe('batching', () => {
  it('CloudSubscription.roleAssignments costs the same store round trips for 2 or 12 subscriptions', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `sub_batch${i}`);
    for (const id of ids) await stack.publish('subscription.activated', { ...subFacts(id, C, P), adminAgentsGroupId: AGENTS });
    await eventually(async () => (await accessDeps(stack).models.assignments.countDocuments({ scope: { $in: ids.map((id) => subScope(C, id)) } })) === ids.length);
    const svc = stack.services['access-control']!;
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on CloudSubscription { id roleAssignments { id role } } } }`;
    const roundTrips = async (subs: string[]) => {
      // Only the request's own commands count, not what consumers and relays do meanwhile.
      const { commands } = await storeCommandsOf(svc.rt.mongo, async (headers) => {
        const res = await fetch(`${svc.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${partnerUser}`, ...internalHeaders(stack.env.INTERNAL_SECRET!, `Bearer ${partnerUser}`), ...headers },
          body: JSON.stringify({ query, variables: { r: subs.map((id) => ({ __typename: 'CloudSubscription', id })) } }),
        });
        const body = await res.json();
        expect(body.data._entities.every((e: { roleAssignments: unknown[] }) => e.roleAssignments.length === 1)).toBe(true);
      });
      return commands.length;
    };
    const few = await roundTrips(ids.slice(0, 2));
    const many = await roundTrips(ids);
    expect(many).toBeLessThanOrEqual(few);
    expect(many).toBeLessThanOrEqual(6);
  });
});
