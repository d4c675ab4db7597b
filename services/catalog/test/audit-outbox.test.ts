import { armCrashPoint, auditModel, disarmCrashPoints } from '@csp/kernel';
import { errorCode, eventually, startStack, type Stack } from '@csp/testkit';
import { auditLogModel } from '@csp/svc-identity/audit-log-model';
import { catalogDeps } from './helpers';

/**
 * A mutation's audit record travels in the outbox of its domain write (issue 16): a request that
 * dies between that write and its response still leaves exactly one record in identity's
 * graph-wide log; a refused one leaves one DENIED record, written after the response.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack('catalog-audit-outbox', { services: ['catalog'] });
});
afterEach(() => disarmCrashPoints());
afterAll(() => stack?.stop());

const UPSERT = 'mutation ($input: UpsertMarketInput!) { upsertMarket(input: $input) { market { code } } }';
let n = 0;
const requestId = () => `audit-outbox-${++n}-${Math.random().toString(36).slice(2, 8)}`;
const upsert = (token: string, rid: string, code: string, country: string) =>
  stack.gql(UPSERT, { input: { code, name: `Market ${code}`, currency: 'USD', countries: [country] } }, token, { 'x-request-id': rid });

const log = () => auditLogModel(stack.identity.rt.mongo.connection);
/** The records of one request in the graph-wide log, once at least one has arrived. */
const recordsOf = (rid: string) => eventually(async () => {
  const found = await log().find({ requestId: rid }).lean();
  return found.length > 0 && found;
}, 20_000, `the audit record of ${rid}`);

/** A later mutation's record arriving: the log has caught up with what came before it. */
async function caughtUp(token: string, code: string, country: string): Promise<void> {
  const rid = requestId();
  expect((await upsert(token, rid, code, country)).errors).toBeUndefined();
  await recordsOf(rid);
}

it('a mutation leaves exactly one record, carried by its domain write', async () => {
  const token = await stack.operatorToken();
  const rid = requestId();
  expect((await upsert(token, rid, 'AUDA', 'MX')).errors).toBeUndefined();
  const records = await recordsOf(rid);
  await caughtUp(token, 'AUDB', 'BR');
  expect(await log().countDocuments({ requestId: rid })).toBe(1);
  expect(records[0]).toMatchObject({ action: 'catalog.upsertMarket', service: 'catalog', actorKind: 'OPERATOR', targetId: 'AUDA', outcome: 'DONE' });
  // Nothing was left to write after the response: the market's own write carried it.
  expect(await auditModel(stack.services.catalog!.rt.mongo.connection).countDocuments({ requestId: rid })).toBe(0);
});

it('a request that dies after its domain write, before its response, still leaves exactly one record', async () => {
  const token = await stack.operatorToken();
  const rid = requestId();
  armCrashPoint('audit.after-write');
  expect((await upsert(token, rid, 'AUDC', 'AR')).errors).toBeDefined();
  expect(await catalogDeps(stack).marketService.markets.exists({ _id: 'AUDC' })).not.toBeNull();
  const records = await recordsOf(rid);
  await caughtUp(token, 'AUDD', 'CL');
  expect(await log().countDocuments({ requestId: rid })).toBe(1);
  expect(records[0]).toMatchObject({ action: 'catalog.upsertMarket', targetId: 'AUDC', outcome: 'DONE' });
});

it('a refused mutation leaves one DENIED record, and changes nothing', async () => {
  const partner = await stack.mint({ userId: 'usr_audit_partner', kind: 'PARTNER_USER', partnerId: 'ptn_audit' });
  const rid = requestId();
  const r = await upsert(partner, rid, 'AUDE', 'PE');
  expect(errorCode(r)).toBe('FORBIDDEN');
  const records = await recordsOf(rid);
  await caughtUp(await stack.operatorToken(), 'AUDF', 'UY');
  expect(await log().countDocuments({ requestId: rid })).toBe(1);
  expect(records[0]).toMatchObject({ action: 'catalog.upsertMarket', actorId: 'usr_audit_partner', outcome: 'DENIED', reason: expect.stringMatching(/^FORBIDDEN: /) });
  expect(await catalogDeps(stack).marketService.markets.exists({ _id: 'AUDE' })).toBeNull();
});
