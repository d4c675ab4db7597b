import { decodeJwt } from 'jose';
import { errorCode, startStack, type Stack } from '@csp/testkit';
import { createCustomer, login, onboardPartner, queuedEvents, seedMarkets, until, type Actor } from './identity-fixtures';

/** staff.graphql through the gateway: roles on users, in the token, set only by a tenant's ADMIN. */
let stack: Stack;
let partner: Actor;
let other: Actor;
let customer: Actor;
beforeAll(async () => {
  stack = await startStack('identity-staff', { services: ['identity'] });
  await seedMarkets(stack);
  [partner, other] = await Promise.all([onboardPartner(stack, { tier: 'DIRECT_PROVIDER', country: 'DE' }), onboardPartner(stack, { tier: 'DIRECT_PROVIDER', country: 'DE' })]);
  customer = await createCustomer(stack, partner.token, { country: 'DE' });
});
afterAll(() => stack?.stop());

const create = (token: string, email: string, roles?: string[]) =>
  stack.op('CreateStaffUser', { input: { email, password: 'staff-password-1', ...(roles ? { roles } : {}) } }, token);

describe('MyRoles', () => {
  it("the first user of a partner and of a customer is its ADMIN, in `me` and in the token's rol claim", async () => {
    const p = await stack.op('MyRoles', {}, partner.token);
    expect(p.errors).toBeUndefined();
    expect(p.data.me).toMatchObject({ id: partner.userId, kind: 'PARTNER_USER', roles: ['ADMIN'], partner: { id: partner.id } });
    expect(decodeJwt(partner.token).rol).toEqual(['ADMIN']);
    const c = await stack.op('MyRoles', {}, customer.token);
    expect(c.data.me).toMatchObject({ id: customer.userId, kind: 'CUSTOMER_USER', roles: ['ADMIN'], customer: { id: customer.id } });
    expect((await stack.op('MyRoles', {}, await stack.operatorToken())).data.me).toMatchObject({ kind: 'OPERATOR', roles: [] });
  });

  it('users stored before roles existed keep working: the first admin is ADMIN, others get the default', async () => {
    const { hashPassword } = await import('../src/auth/passwords');
    const base = { passwordHash: await hashPassword('legacy-password-1'), kind: 'PARTNER_USER', partnerId: partner.id, createdAt: new Date(), outbox: [] };
    await stack.identity.deps.users.collection.insertMany([
      { _id: 'usr_legacyadmin', email: 'legacy.admin@partner.example', admin: true, ...base } as never,
      { _id: 'usr_legacyuser', email: 'legacy.user@partner.example', admin: false, ...base } as never,
    ]);
    const admin = await login(stack, 'legacy.admin@partner.example', 'legacy-password-1');
    expect((await stack.op('MyRoles', {}, admin)).data.me.roles).toEqual(['ADMIN']);
    const user = await login(stack, 'legacy.user@partner.example', 'legacy-password-1');
    expect((await stack.op('MyRoles', {}, user)).data.me.roles).toEqual(['SALES_AGENT']);
    expect(decodeJwt(user).rol).toEqual(['SALES_AGENT']);
    // At start, identity stores and announces their roles once (access-control learns every user).
    const { migrateStaffRoles } = await import('../src/users/staff-migration');
    expect(await migrateStaffRoles(stack.identity.deps.users, stack.identity.deps.locks, stack.identity.rt.clock, stack.identity.rt.logger)).toBe(2);
    expect(await migrateStaffRoles(stack.identity.deps.users, stack.identity.deps.locks, stack.identity.rt.clock, stack.identity.rt.logger)).toBe(0);
    expect((await stack.identity.deps.users.findById('usr_legacyadmin').lean())!.roles).toEqual(['ADMIN']);
    await until('user.rolesChanged of the legacy users', async () => {
      const evs = await queuedEvents(stack, 'access-control', 'user.rolesChanged');
      return ['usr_legacyadmin', 'usr_legacyuser'].every((id) => evs.some((e) => e.payload.userId === id));
    });
  });
});

describe('CreateStaffUser', () => {
  it('an ADMIN adds users with roles (default: partner SALES_AGENT, customer USER); the event carries them', async () => {
    const a = await create(partner.token, 'helpdesk@staff.example', ['HELPDESK_AGENT']);
    expect(a.errors).toBeUndefined();
    expect(a.data.createUser.user).toMatchObject({ email: 'helpdesk@staff.example', roles: ['HELPDESK_AGENT'] });
    expect((await create(partner.token, 'sales@staff.example')).data.createUser.user.roles).toEqual(['SALES_AGENT']);
    expect((await create(customer.token, 'user@customer-staff.example')).data.createUser.user.roles).toEqual(['USER']);
    const token = await login(stack, 'helpdesk@staff.example', 'staff-password-1');
    expect(decodeJwt(token).rol).toEqual(['HELPDESK_AGENT']);
    const ev = await until('user.rolesChanged', async () =>
      (await queuedEvents(stack, 'access-control', 'user.rolesChanged')).find((e) => e.payload.userId === a.data.createUser.user.id),
    );
    expect(ev.payload).toEqual({ userId: a.data.createUser.user.id, email: 'helpdesk@staff.example', kind: 'PARTNER_USER', partnerId: partner.id, roles: ['HELPDESK_AGENT'] });
  });

  it('refuses a role of the other tenant kind, and non-ADMINs', async () => {
    expect(errorCode(await create(customer.token, 'x1@customer-staff.example', ['SALES_AGENT']))).toBe('BAD_USER_INPUT');
    expect(errorCode(await create(partner.token, 'x2@staff.example', ['USER']))).toBe('BAD_USER_INPUT');
    await create(partner.token, 'agent2@staff.example', ['ADMIN_AGENT', 'BILLING_ADMIN']);
    const agent = await login(stack, 'agent2@staff.example', 'staff-password-1');
    const r = await create(agent, 'x3@staff.example', ['ADMIN']);
    expect(errorCode(r)).toBe('FORBIDDEN');
    expect(r.data?.createUser ?? null).toBeNull();
    expect(await stack.identity.deps.users.exists({ email: 'x3@staff.example' })).toBeNull();
  });
});

describe('SetUserRoles', () => {
  it("an ADMIN sets another user's roles; the next token carries them; the event follows", async () => {
    const u = (await create(partner.token, 'promote@staff.example')).data.createUser.user;
    const r = await stack.op('SetUserRoles', { userId: u.id, roles: ['BILLING_ADMIN', 'ADMIN_AGENT'] }, partner.token);
    expect(r.errors).toBeUndefined();
    expect(r.data.setUserRoles.user).toEqual({ id: u.id, email: 'promote@staff.example', roles: ['ADMIN_AGENT', 'BILLING_ADMIN'] });
    expect(decodeJwt(await login(stack, 'promote@staff.example', 'staff-password-1')).rol).toEqual(['ADMIN_AGENT', 'BILLING_ADMIN']);
    await until('user.rolesChanged with the new roles', async () =>
      (await queuedEvents(stack, 'access-control', 'user.rolesChanged')).find((e) => e.payload.userId === u.id && (e.payload.roles as string[]).includes('BILLING_ADMIN')),
    );
  });

  it('nobody raises its own rights: a non-ADMIN is FORBIDDEN, an ADMIN cannot change its own roles', async () => {
    const u = (await create(partner.token, 'climber@staff.example', ['ADMIN_AGENT'])).data.createUser.user;
    const token = await login(stack, 'climber@staff.example', 'staff-password-1');
    expect(errorCode(await stack.op('SetUserRoles', { userId: u.id, roles: ['ADMIN'] }, token))).toBe('FORBIDDEN');
    expect(errorCode(await stack.op('SetUserRoles', { userId: partner.userId, roles: ['SALES_AGENT'] }, token))).toBe('FORBIDDEN');
    expect(errorCode(await stack.op('SetUserRoles', { userId: partner.userId, roles: ['ADMIN', 'BILLING_ADMIN'] }, partner.token))).toBe('FORBIDDEN');
    expect((await stack.op('MyRoles', {}, token)).data.me.roles).toEqual(['ADMIN_AGENT']);
    expect((await stack.op('MyRoles', {}, partner.token)).data.me.roles).toEqual(['ADMIN']);
  });

  it("another tenant's user answers exactly like a user that exists nowhere", async () => {
    const foreign = await stack.op('SetUserRoles', { userId: other.userId, roles: ['SALES_AGENT'] }, partner.token);
    const ghost = await stack.op('SetUserRoles', { userId: 'usr_nowhere', roles: ['SALES_AGENT'] }, partner.token);
    expect(errorCode(foreign)).toBe('NOT_FOUND');
    expect(foreign.errors![0].message.replace(other.userId, '<id>')).toBe(ghost.errors![0].message.replace('usr_nowhere', '<id>'));
    // The customer's ADMIN cannot reach its partner's staff either.
    expect(errorCode(await stack.op('SetUserRoles', { userId: partner.userId, roles: ['USER'] }, customer.token))).toBe('NOT_FOUND');
    expect((await stack.op('MyRoles', {}, other.token)).data.me.roles).toEqual(['ADMIN']);
  });
});
