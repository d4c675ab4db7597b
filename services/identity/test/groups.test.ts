import { errorCode, startStack, type Stack } from '@csp/testkit';
import { createCustomer, login, onboardPartner, queuedEvents, seedMarkets, until, type Actor } from './identity-fixtures';

let stack: Stack;
let partner: Actor;
let agent: { id: string; token: string };
beforeAll(async () => {
  stack = await startStack('identity-groups', { services: ['identity'] });
  await seedMarkets(stack);
  partner = await onboardPartner(stack, { tier: 'DIRECT_PROVIDER', country: 'DE' });
  const r = await stack.gql(
    `mutation ($input: CreateUserInput!) { createUser(input: $input) { user { id email kind } } }`,
    { input: { email: 'agent@helpdesk.example', password: 'agent-password-1' } },
    partner.token,
  );
  expect(r.data.createUser.user).toMatchObject({ email: 'agent@helpdesk.example', kind: 'PARTNER_USER' });
  agent = { id: r.data.createUser.user.id, token: await login(stack, 'agent@helpdesk.example', 'agent-password-1') };
});
afterAll(() => stack?.stop());

describe('CreateSecurityGroup (access.graphql)', () => {
  it("a partner user groups its partner's users; the event carries the members", async () => {
    const r = await stack.op('CreateSecurityGroup', { name: 'Helpdesk', memberIds: [partner.userId, agent.id] }, partner.token);
    expect(r.errors).toBeUndefined();
    const { group } = r.data.createSecurityGroup;
    expect(group).toMatchObject({ name: 'Helpdesk', members: [{ id: partner.userId }, { id: agent.id }] });
    const ev = await until('group.membershipChanged', async () =>
      (await queuedEvents(stack, 'access-control', 'group.membershipChanged')).find((e) => e.payload.groupId === group.id),
    );
    expect(ev.payload).toEqual({ groupId: group.id, ownerKind: 'PARTNER', ownerId: partner.id, memberIds: [partner.userId, agent.id] });
    // New tokens carry the group.
    const { decodeJwt } = await import('jose');
    expect(decodeJwt(await login(stack, 'agent@helpdesk.example', 'agent-password-1')).grp).toEqual([group.id]);
  });

  it('refuses members of another partner or customer, a taken name, and callers without a tenant', async () => {
    const other = await onboardPartner(stack, { tier: 'DIRECT_PROVIDER', country: 'DE' });
    // Another tenant's user answers exactly like a user that exists nowhere: NOT_FOUND naming it.
    const mixed = await stack.op('CreateSecurityGroup', { name: 'Mixed', memberIds: [partner.userId, other.userId] }, partner.token);
    const ghost = await stack.op('CreateSecurityGroup', { name: 'Ghost', memberIds: ['usr_nobody'] }, partner.token);
    expect(errorCode(mixed)).toBe('NOT_FOUND');
    expect(errorCode(ghost)).toBe('NOT_FOUND');
    expect(mixed.errors![0].message).toContain(other.userId);
    expect(mixed.errors![0].message.replace(other.userId, '<id>')).toBe(ghost.errors![0].message.replace('usr_nobody', '<id>'));
    expect(mixed.data?.createSecurityGroup ?? null).toBeNull();
    expect((await stack.op('CreateSecurityGroup', { name: 'Billing', memberIds: [] }, partner.token)).errors).toBeUndefined();
    expect(errorCode(await stack.op('CreateSecurityGroup', { name: 'Billing', memberIds: [] }, partner.token))).toBe('CONFLICT');
    expect(errorCode(await stack.op('CreateSecurityGroup', { name: 'Ops', memberIds: [] }, await stack.operatorToken()))).toBe('FORBIDDEN');
  });

  it("a customer user groups its tenant's users; the partner's users are not members", async () => {
    const customer = await createCustomer(stack, partner.token, { country: 'DE' });
    const ok = await stack.op('CreateSecurityGroup', { name: 'Finance', memberIds: [customer.userId] }, customer.token);
    expect(ok.data.createSecurityGroup.group).toMatchObject({ name: 'Finance', members: [{ id: customer.userId }] });
    expect(errorCode(await stack.op('CreateSecurityGroup', { name: 'Finance 2', memberIds: [partner.userId] }, customer.token))).toBe('NOT_FOUND');
  });

  it('only admins add users', async () => {
    const r = await stack.gql(
      `mutation ($input: CreateUserInput!) { createUser(input: $input) { user { id } } }`,
      { input: { email: 'second@helpdesk.example', password: 'agent-password-1' } },
      agent.token,
    );
    expect(errorCode(r)).toBe('FORBIDDEN');
  });

  it('adds and removes members; concurrent adds lose nothing; the last event holds the whole list', async () => {
    const mk = (email: string) =>
      stack.gql(`mutation ($input: CreateUserInput!) { createUser(input: $input) { user { id } } }`, { input: { email, password: 'agent-password-1' } }, partner.token);
    const ids: string[] = [];
    for (const n of [1, 2, 3, 4]) ids.push((await mk(`member${n}@helpdesk.example`)).data.createUser.user.id);
    const created = await stack.op('CreateSecurityGroup', { name: 'Night shift', memberIds: [] }, partner.token);
    const groupId = created.data.createSecurityGroup.group.id;
    const ADD = `mutation ($g: ID!, $m: [ID!]!) { addSecurityGroupMembers(groupId: $g, memberIds: $m) { group { members { id } } } }`;
    const REMOVE = `mutation ($g: ID!, $m: [ID!]!) { removeSecurityGroupMembers(groupId: $g, memberIds: $m) { group { members { id } } } }`;
    const results = await Promise.all(ids.map((id) => stack.gql(ADD, { g: groupId, m: [id] }, partner.token)));
    expect(results.map((r) => r.errors)).toEqual(ids.map(() => undefined));
    const removed = await stack.gql(REMOVE, { g: groupId, m: [ids[0]] }, partner.token);
    expect(removed.data.removeSecurityGroupMembers.group.members.map((m: { id: string }) => m.id).sort()).toEqual(ids.slice(1).sort());

    const events = await until('membership events', async () => {
      const evs = (await queuedEvents(stack, 'access-control', 'group.membershipChanged')).filter((e) => e.payload.groupId === groupId);
      return evs.length >= 6 && evs;
    });
    const last = events.sort((a, b) => (a as unknown as { occurredAt: string }).occurredAt.localeCompare((b as unknown as { occurredAt: string }).occurredAt)).at(-1)!;
    expect((last.payload.memberIds as string[]).sort()).toEqual(ids.slice(1).sort());

    const other = await onboardPartner(stack, { tier: 'DIRECT_PROVIDER', country: 'DE' });
    expect(errorCode(await stack.gql(ADD, { g: groupId, m: [other.userId] }, partner.token))).toBe('NOT_FOUND');
    expect(errorCode(await stack.gql(ADD, { g: groupId, m: [other.userId] }, other.token))).toBe('NOT_FOUND');
  });
});

describe('hole 1: only a tenant ADMIN changes group membership (groups hold roles)', () => {
  const ADD = `mutation ($g: ID!, $m: [ID!]!) { addSecurityGroupMembers(groupId: $g, memberIds: $m) { group { members { id } } } }`;
  const REMOVE = `mutation ($g: ID!, $m: [ID!]!) { removeSecurityGroupMembers(groupId: $g, memberIds: $m) { group { members { id } } } }`;
  const members = async (groupId: string) => (await stack.identity.deps.groups.findById(groupId).lean())!.memberIds;

  it("a partner's non-admin user can neither add itself to the admin agents (OWNER everywhere) nor remove the admin", async () => {
    const r = await stack.gql(`query ($id: ID!) { partner(id: $id) { adminAgentsGroup { id } } }`, { id: partner.id }, partner.token);
    const agents = r.data.partner.adminAgentsGroup.id as string;
    const before = await members(agents);
    expect(errorCode(await stack.gql(ADD, { g: agents, m: [agent.id] }, agent.token))).toBe('FORBIDDEN');
    expect(errorCode(await stack.gql(REMOVE, { g: agents, m: [partner.userId] }, agent.token))).toBe('FORBIDDEN');
    expect(await members(agents)).toEqual(before);
    // The ADMIN may.
    expect((await stack.gql(ADD, { g: agents, m: [agent.id] }, partner.token)).errors).toBeUndefined();
    expect((await stack.gql(REMOVE, { g: agents, m: [agent.id] }, partner.token)).errors).toBeUndefined();
  });

  it("a customer's USER does not change its tenant's groups", async () => {
    const customer = await createCustomer(stack, partner.token, { country: 'DE' });
    const u = await stack.op('CreateStaffUser', { input: { email: 'plain@hole1.example', password: 'plain-password-1' } }, customer.token);
    const token = await login(stack, 'plain@hole1.example', 'plain-password-1');
    const g = (await stack.op('CreateSecurityGroup', { name: 'Owners', memberIds: [customer.userId] }, customer.token)).data.createSecurityGroup.group.id;
    expect(errorCode(await stack.gql(ADD, { g, m: [u.data.createUser.user.id] }, token))).toBe('FORBIDDEN');
    expect(errorCode(await stack.gql(REMOVE, { g, m: [customer.userId] }, token))).toBe('FORBIDDEN');
    expect(await members(g)).toEqual([customer.userId]);
  });
});
