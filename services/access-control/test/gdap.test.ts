import { errorCode, startStack, type Stack } from '@csp/testkit';
import { createCustomer, eventually, onboardPartner, partnerGroup, subFacts, subScope } from './helpers';

/** Delegated admin relationships (GDAP): request, approve, assign access, terminate, expire. */
let stack: Stack;
const P = 'prt_gdap';
const HELPDESK = 'grp_helpdesk';
const C = 'cus_gdap';
const S = 'sub_gdap';
let partner: string;
let helpdesk: string;
let customerAdmin: string;

beforeAll(async () => {
  stack = await startStack('access-gdap', { services: ['access-control'] });
  await onboardPartner(stack, P, 'grp_gdapagents');
  await partnerGroup(stack, HELPDESK, P, ['usr_helpdesk']);
  await partnerGroup(stack, 'grp_foreign', 'prt_other', []);
  await createCustomer(stack, C, P);
  await stack.publish('subscription.activated', { ...subFacts(S, C, P), adminAgentsGroupId: 'grp_gdapagents' });
  partner = await stack.mint({ userId: 'usr_gdapadmin', kind: 'PARTNER_USER', partnerId: P, groupIds: ['grp_gdapagents'] });
  helpdesk = await stack.mint({ userId: 'usr_helpdesk', kind: 'PARTNER_USER', partnerId: P, groupIds: [HELPDESK] });
  customerAdmin = await stack.mint({ userId: 'usr_gdapcust', kind: 'CUSTOMER_USER', customerId: C });
  await eventually(async () => (await stack.op('CheckAccess', { scope: subScope(C, S), action: 'subscription/read' }, partner)).data?.checkAccess.allowed);
});
afterAll(() => stack?.stop());

const helpdeskCan = async (action: string, scope = subScope(C, S)) =>
  (await stack.op('CheckAccess', { scope, action }, helpdesk)).data.checkAccess as { allowed: boolean; reason: string };

async function activeRelationship(roles: string[], duration = 'P30D') {
  const req = await stack.op('RequestAdminRelationship', { customerId: C, duration, roles }, partner);
  expect(req.errors).toBeUndefined();
  const id = req.data.requestAdminRelationship.relationship.id as string;
  const ok = await stack.op('ApproveAdminRelationship', { id }, customerAdmin);
  expect(ok.errors).toBeUndefined();
  return { id, endsAt: new Date(ok.data.approveAdminRelationship.relationship.endsAt) };
}

describe('GDAP', () => {
  it('validates requests: relationship needed, duration P1D..P2Y, known roles', async () => {
    const stranger = await stack.mint({ userId: 'usr_x', kind: 'PARTNER_USER', partnerId: 'prt_other' });
    expect(errorCode(await stack.op('RequestAdminRelationship', { customerId: C, duration: 'P30D', roles: ['READER'] }, stranger))).toBe('NOT_FOUND');
    for (const duration of ['P3Y', 'P0D', 'PT1H', '30 days', 'P25M']) {
      expect(errorCode(await stack.op('RequestAdminRelationship', { customerId: C, duration, roles: ['READER'] }, partner))).toBe('BAD_USER_INPUT');
    }
    expect(errorCode(await stack.op('RequestAdminRelationship', { customerId: C, duration: 'P1D', roles: ['Global Admin'] }, partner))).toBe('BAD_USER_INPUT');
    expect(errorCode(await stack.op('RequestAdminRelationship', { customerId: C, duration: 'P1D', roles: ['READER'] }, customerAdmin))).toBe('FORBIDDEN');
  });

  it('request → APPROVAL_PENDING; the customer admin approves → ACTIVE until approval + duration', async () => {
    const req = await stack.op('RequestAdminRelationship', { customerId: C, duration: 'P2Y', roles: ['READER', 'CONTRIBUTOR'] }, partner);
    expect(req.data.requestAdminRelationship.relationship).toMatchObject({ status: 'APPROVAL_PENDING', duration: 'P2Y', roles: ['READER', 'CONTRIBUTOR'] });
    const id = req.data.requestAdminRelationship.relationship.id;
    // Access cannot be assigned before approval; the partner cannot approve its own request.
    expect(errorCode(await stack.op('AssignAdminAccess', { relationshipId: id, groupId: HELPDESK, roles: ['READER'] }, partner))).toBe('CONFLICT');
    expect(errorCode(await stack.op('ApproveAdminRelationship', { id }, partner))).toBe('FORBIDDEN');
    const other = await stack.mint({ userId: 'usr_y', kind: 'CUSTOMER_USER', customerId: 'cus_elsewhere' });
    expect(errorCode(await stack.op('ApproveAdminRelationship', { id }, other))).toBe('NOT_FOUND');

    const now = stack.services['access-control']!.rt.clock.now();
    const ok = await stack.op('ApproveAdminRelationship', { id }, customerAdmin);
    expect(ok.errors).toBeUndefined();
    expect(ok.data.approveAdminRelationship.relationship.status).toBe('ACTIVE');
    const endsAt = new Date(ok.data.approveAdminRelationship.relationship.endsAt);
    const expected = new Date(now);
    expected.setUTCFullYear(expected.getUTCFullYear() + 2);
    expect(Math.abs(endsAt.getTime() - expected.getTime())).toBeLessThan(5_000);
    expect(errorCode(await stack.op('ApproveAdminRelationship', { id }, customerAdmin))).toBe('CONFLICT');
    await stack.op('TerminateAdminRelationship', { id }, partner);
  });

  it('an access assignment maps a partner group to roles within an ACTIVE relationship', async () => {
    expect((await helpdeskCan('subscription/read')).allowed).toBe(false);
    const { id } = await activeRelationship(['READER']);
    expect(errorCode(await stack.op('AssignAdminAccess', { relationshipId: id, groupId: HELPDESK, roles: ['OWNER'] }, partner))).toBe('FORBIDDEN');
    expect(errorCode(await stack.op('AssignAdminAccess', { relationshipId: id, groupId: 'grp_foreign', roles: ['READER'] }, partner))).toBe('NOT_FOUND');
    const a = await stack.op('AssignAdminAccess', { relationshipId: id, groupId: HELPDESK, roles: ['READER'] }, partner);
    expect(a.errors).toBeUndefined();
    expect(a.data.assignAdminAccess.assignment).toMatchObject({ roles: ['READER'], group: { id: HELPDESK } });

    const read = await helpdeskCan('subscription/read');
    expect(read.allowed).toBe(true);
    expect(read.reason).toContain(`admin relationship ${id}`);
    expect((await helpdeskCan('subscription/read', `/customers/${C}`)).allowed).toBe(true);
    expect((await helpdeskCan('subscription/manage')).allowed).toBe(false);
    expect((await helpdeskCan('subscription/read', subScope('cus_other', 'sub_x'))).allowed).toBe(false);
  });

  it('a TERMINATED relationship grants nothing', async () => {
    const readBefore = await helpdeskCan('subscription/read');
    expect(readBefore.allowed).toBe(true);
    const id = /admin relationship (\S+):/.exec(readBefore.reason)![1];
    const t = await stack.op('TerminateAdminRelationship', { id }, customerAdmin);
    expect(t.data.terminateAdminRelationship.relationship).toEqual({ id, status: 'TERMINATED' });
    const d = await helpdeskCan('subscription/read');
    expect(d.allowed).toBe(false);
    expect(d.reason).toMatch(/TERMINATED and grants nothing/);
  });

  it('an EXPIRED relationship grants nothing, checked against the clock at decision time', async () => {
    const { id, endsAt } = await activeRelationship(['READER', 'CONTRIBUTOR'], 'P7D');
    await stack.op('AssignAdminAccess', { relationshipId: id, groupId: HELPDESK, roles: ['CONTRIBUTOR'] }, partner);
    expect((await helpdeskCan('subscription/manage')).allowed).toBe(true);

    await stack.services['access-control']!.rt.clock.advance(new Date(endsAt.getTime() + 60_000));
    const d = await helpdeskCan('subscription/manage');
    expect(d.allowed).toBe(false);
    expect(d.reason).toMatch(/EXPIRED/);
    const rel = await stack.gql('query($id: ID!) { adminRelationship(id: $id) { status endsAt } }', { id }, partner);
    expect(rel.data.adminRelationship.status).toBe('EXPIRED');
    expect(errorCode(await stack.op('AssignAdminAccess', { relationshipId: id, groupId: HELPDESK, roles: ['READER'] }, partner))).toBe('CONFLICT');
  });
});

describe('hole 2: only the customer ADMIN approves GDAP (the role travels in the token)', () => {
  it("a customer's USER or BILLING_ADMIN cannot approve; the request stays pending; the ADMIN can", async () => {
    const req = await stack.op('RequestAdminRelationship', { customerId: C, duration: 'P30D', roles: ['READER'] }, partner);
    const id = req.data.requestAdminRelationship.relationship.id as string;
    for (const roles of [['USER'], ['BILLING_ADMIN']] as const) {
      const plain = await stack.mint({ userId: `usr_plain${roles[0].toLowerCase()}`, kind: 'CUSTOMER_USER', customerId: C, roles: [...roles] });
      const r = await stack.op('ApproveAdminRelationship', { id }, plain);
      expect(errorCode(r)).toBe('FORBIDDEN');
      expect(r.data?.approveAdminRelationship ?? null).toBeNull();
    }
    const read = await stack.gql(`query ($id: ID!) { adminRelationship(id: $id) { status } }`, { id }, partner);
    expect(read.data.adminRelationship.status).toBe('APPROVAL_PENDING');
    expect((await stack.op('ApproveAdminRelationship', { id }, customerAdmin)).errors).toBeUndefined();
  });
});
