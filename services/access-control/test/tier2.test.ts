import { errorCode, startStack, type Stack } from '@csp/testkit';
import { accessDeps, createCustomer, eventually, onboardPartner, partnerGroup, subFacts, subScope } from './helpers';

/**
 * Tier-2 two-step rule: the reseller first holds an active relationship with the customer,
 * only then can the distributor add the reseller's group to a role on the customer's
 * subscription; revoking the relationship makes that grant stop applying.
 */
let stack: Stack;
const D = 'prt_distributor';
const D_AGENTS = 'grp_distagents';
const R = 'prt_reseller';
const R_AGENTS = 'grp_reselleragents';
const R2 = 'prt_otherreseller';
const C = 'cus_tier2';
const S = 'sub_tier2';
let distributor: string;
let reseller: string;

beforeAll(async () => {
  stack = await startStack('access-tier2', { services: ['access-control'] });
  await onboardPartner(stack, D, D_AGENTS, 'INDIRECT_PROVIDER');
  await onboardPartner(stack, R, R_AGENTS, 'INDIRECT_RESELLER');
  await onboardPartner(stack, R2, 'grp_r2agents', 'INDIRECT_RESELLER');
  await stack.publish('reseller.linked', { distributorId: D, resellerId: R });
  await stack.publish('reseller.linked', { distributorId: D, resellerId: R2 });
  await partnerGroup(stack, R_AGENTS, R, ['usr_reseller']);
  // The customer was sold through the other reseller: R has no relationship with it yet.
  await createCustomer(stack, C, R2, D);
  await stack.publish('subscription.activated', { ...subFacts(S, C, D, { resellerId: R2 }), adminAgentsGroupId: D_AGENTS });
  distributor = await stack.mint({ userId: 'usr_distributor', kind: 'PARTNER_USER', partnerId: D, groupIds: [D_AGENTS] });
  reseller = await stack.mint({ userId: 'usr_reseller', kind: 'PARTNER_USER', partnerId: R, groupIds: [R_AGENTS] });
  await eventually(async () => (await stack.op('CheckAccess', { scope: subScope(C, S), action: 'roleAssignments/write' }, distributor)).data?.checkAccess.allowed);
  await eventually(async () => (await accessDeps(stack).models.groups.findById(R_AGENTS).lean())?.memberIds?.length);
  await eventually(async () => (await accessDeps(stack).models.partners.findById(R).lean())?.tier);
});
afterAll(() => stack?.stop());

const grantReseller = () => stack.op('GrantRole', { input: { principalId: R_AGENTS, role: 'CONTRIBUTOR', scope: subScope(C, S) } }, distributor);
const resellerManages = async () =>
  (await stack.op('CheckAccess', { scope: subScope(C, S), action: 'subscription/manage' }, reseller)).data.checkAccess as { allowed: boolean; reason: string };

describe('tier-2 two-step rule', () => {
  it('step 2 before step 1: FORBIDDEN, and the reason names the missing step', async () => {
    const r = await grantReseller();
    expect(errorCode(r)).toBe('FORBIDDEN');
    expect(r.errors![0].message).toMatch(/step 1 is missing/i);
    expect(r.errors![0].message).toMatch(/reseller prt_reseller has no active relationship with customer cus_tier2/);
    expect((await resellerManages()).allowed).toBe(false);
    expect(await accessDeps(stack).models.assignments.countDocuments({ principalId: R_AGENTS })).toBe(0);
  });

  it('step 1 then step 2: allowed, and the reseller group gets the role', async () => {
    await stack.publish('relationship.established', { customerId: C, partnerId: R });
    const r = await eventually(async () => {
      const res = await grantReseller();
      return res.data?.grantRole ? res : undefined;
    });
    expect(r.data.grantRole.assignment).toMatchObject({ role: 'CONTRIBUTOR', principal: { id: R_AGENTS } });
    expect(r.data.grantRole.warnings).toEqual([]);
    const d = await resellerManages();
    expect(d.allowed).toBe(true);
    expect(d.reason).toMatch(/CONTRIBUTOR for grp_reselleragents/);
  });

  it('when the relationship is revoked the grant stops applying, checked at decision time', async () => {
    await stack.publish('relationship.revoked', { customerId: C, partnerId: R });
    const d = await eventually(async () => {
      const x = await resellerManages();
      return x.allowed ? undefined : x;
    });
    expect(d.reason).toMatch(/reseller prt_reseller has no active relationship with customer cus_tier2/);
    // The assignment stays (and is listed); it just grants nothing while step 1 is missing.
    const list = await stack.op('RoleAssignments', { scope: subScope(C, S) }, distributor);
    expect(list.data.roleAssignments.map((a: { principal: { id: string } }) => a.principal.id)).toContain(R_AGENTS);
    // A fresh grant is refused again.
    await stack.op('RevokeRole', { assignmentId: list.data.roleAssignments.find((a: { principal: { id: string } }) => a.principal.id === R_AGENTS).id }, distributor);
    expect(errorCode(await grantReseller())).toBe('FORBIDDEN');
  });

  it('re-established relationship: the reseller group can be added again', async () => {
    await stack.publish('relationship.established', { customerId: C, partnerId: R });
    await eventually(async () => (await grantReseller()).data?.grantRole);
    expect((await resellerManages()).allowed).toBe(true);
  });
});
