import { armCrashPoint, auditModel, disarmCrashPoints } from '@csp/kernel';
import { auditLogModel } from '@csp/svc-identity/audit-log-model';
import { startStack, type Stack } from '@csp/testkit';
import { accessDeps, announceUsers, createCustomer, eventually, onboardPartner, partnerGroup, subFacts, subScope } from './helpers';

/**
 * An access change raises no event, yet its graph-wide audit record goes out with it: the
 * service's own audit trail carries it (issue 16). A grant whose request dies after its writes,
 * before its response, still leaves exactly one record in identity's log.
 */
let stack: Stack;
const P = 'prt_auditac';
const AGENTS = 'grp_auditacagents';
const C = 'cus_auditac';
const S = 'sub_auditac';
let partner: string;

beforeAll(async () => {
  stack = await startStack('access-audit-outbox', { services: ['access-control'] });
  await onboardPartner(stack, P, AGENTS);
  await partnerGroup(stack, AGENTS, P, ['usr_auditac_admin']);
  await createCustomer(stack, C, P);
  await stack.publish('subscription.activated', { ...subFacts(S, C, P), adminAgentsGroupId: AGENTS });
  await announceUsers(stack, ['usr_auditac_a', 'usr_auditac_b', 'usr_auditac_c'].map((userId) => ({ userId, customerId: C })).concat([{ userId: 'usr_auditac_admin', partnerId: P } as never]));
  partner = await stack.mint({ userId: 'usr_auditac_admin', kind: 'PARTNER_USER', partnerId: P, groupIds: [AGENTS] });
  await eventually(async () => (await stack.op('RoleAssignments', { scope: subScope(C, S) }, partner)).data?.roleAssignments?.length);
});
afterEach(() => disarmCrashPoints());
afterAll(() => stack?.stop());

let n = 0;
const requestId = () => `ac-audit-${++n}-${Math.random().toString(36).slice(2, 8)}`;
const grant = (principalId: string, rid: string) =>
  stack.op('GrantRole', { input: { principalId, role: 'READER', scope: subScope(C, S) } }, partner, { 'x-request-id': rid });
const log = () => auditLogModel(stack.identity.rt.mongo.connection);
const recordsOf = (rid: string) =>
  eventually(async () => {
    const found = await log().find({ requestId: rid }).lean();
    return found.length > 0 && found;
  }, 20_000, `the audit record of ${rid}`);

it('a grant leaves exactly one record, carried by its own audit trail entry', async () => {
  const rid = requestId();
  expect((await grant('usr_auditac_a', rid)).errors).toBeUndefined();
  const records = await recordsOf(rid);
  // A later grant's record arriving means the relay has passed this one's: no second copy follows.
  const later = requestId();
  expect((await grant('usr_auditac_c', later)).errors).toBeUndefined();
  await recordsOf(later);
  expect(await log().countDocuments({ requestId: rid })).toBe(1);
  expect(records[0]).toMatchObject({ action: 'access-control.grantRole', actorId: 'usr_auditac_admin', customerId: C, outcome: 'DONE' });
  // Nothing was left for after the response.
  expect(await auditModel(stack.services['access-control']!.rt.mongo.connection).countDocuments({ requestId: rid })).toBe(0);
});

it('a grant whose request dies after its writes, before its response, still leaves exactly one record', async () => {
  const rid = requestId();
  armCrashPoint('audit.after-write');
  expect((await grant('usr_auditac_b', rid)).errors).toBeDefined();
  disarmCrashPoints();
  expect(await accessDeps(stack).models.assignments.exists({ principalId: 'usr_auditac_b', scope: subScope(C, S) })).not.toBeNull();
  const records = await recordsOf(rid);
  expect(records).toHaveLength(1);
  expect(records[0]).toMatchObject({ action: 'access-control.grantRole', outcome: 'DONE' });
});
