import { errorCode, storeCommandsOf } from '@csp/testkit';
import { seedWorld, startBillingStack, subFact, unbilled, unbilledWith, W, waitFor, waitForFacts, type BillingStack } from './billing-fixtures';

/** Usage ingestion: one function behind recordUsage and usage.reported. */
let s: BillingStack;
let op: string;
const USE = 'sub_usage1';
const LIC = 'sub_lic1';
const GONE = 'sub_gone1';
const base = { customerId: W.c1, partnerId: W.direct, billingType: 'USAGE' as const, quantity: 1 };

beforeAll(async () => {
  s = await startBillingStack('billuse');
  op = await s.operatorToken();
  await seedWorld(s);
  await subFact(s, 'activated', { subscriptionId: USE, ...base, offerId: W.azure, at: '2026-10-10T09:00:00.000Z' });
  await subFact(s, 'activated', { subscriptionId: LIC, ...base, offerId: W.o365, billingType: 'LICENSE', at: '2026-10-01T00:00:00.000Z' });
  await subFact(s, 'activated', { subscriptionId: GONE, ...base, offerId: W.azure, at: '2026-10-01T00:00:00.000Z' });
  await subFact(s, 'cancelled', { subscriptionId: GONE, ...base, offerId: W.azure, at: '2026-10-15T12:00:00.000Z' });
  await waitForFacts(s, 4);
}, 60_000);
afterAll(() => s?.stop());

const row = (recordId: string, over: Partial<{ subscriptionId: string; meterId: string; quantity: string; usageDate: string }> = {}) => ({
  recordId,
  subscriptionId: USE,
  meterId: W.meter,
  quantity: '1',
  usageDate: '2026-10-12',
  ...over,
});

it('keeps good rows, counts duplicates, rejects each bad row with its index and reason', async () => {
  const first = await s.op('RecordUsage', { records: [row('u-1', { quantity: '10' })] }, op);
  expect(first.data.recordUsage).toEqual({ accepted: 1, duplicates: 0, rejected: [] });

  const future = new Date(Date.parse((await s.op('Clock')).data.clock.now) + 3 * 86_400_000).toISOString().slice(0, 10);
  const r = await s.op(
    'RecordUsage',
    {
      records: [
        row('u-2', { quantity: '2.5' }), // 0 good
        row('u-1', { quantity: '10' }), // 1 duplicate of a stored row
        row('u-3', { subscriptionId: 'sub_nope' }), // 2
        row('u-4', { meterId: 'mtr_nope' }), // 3
        row('u-5', { meterId: W.meterElsewhere }), // 4 a US meter on a DE subscription
        row('u-6', { subscriptionId: LIC }), // 5 LICENSE-billed
        row('u-7', { usageDate: '2026-10-09' }), // 6 before activation (10 Oct)
        row('u-8', { subscriptionId: GONE, usageDate: '2026-10-16' }), // 7 after cancellation (15 Oct)
        row('u-9', { usageDate: future }), // 8
        row('u-10', { quantity: '-1' }), // 9
        row('u-11', { usageDate: '2026-02-30' }), // 10 not a day
        row('u-2', { quantity: '2.5' }), // 11 duplicate inside the batch
        row('u-12', { subscriptionId: GONE, usageDate: '2026-10-15', meterId: W.meter2 }), // 12 good: the cancellation day
      ],
    },
    op,
  );
  expect(r.errors).toBeUndefined();
  const { accepted, duplicates, rejected } = r.data.recordUsage;
  expect(accepted).toBe(2);
  expect(duplicates).toBe(2);
  expect(rejected.map((x: { index: number }) => x.index)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
  const reasons = rejected.map((x: { reason: string }) => x.reason);
  expect(reasons[0]).toMatch(/unknown subscription sub_nope/);
  expect(reasons[1]).toMatch(/unknown meter mtr_nope/);
  expect(reasons[2]).toMatch(/not in the rate card of market DE/);
  expect(reasons[3]).toMatch(/not USAGE-billed/);
  expect(reasons[4]).toMatch(/before the subscription was activated/);
  expect(reasons[5]).toMatch(/after the subscription was cancelled/);
  expect(reasons[6]).toMatch(/in the future/);
  expect(reasons[7]).toMatch(/negative/);
  expect(reasons[8]).toMatch(/not a day/);
  expect(await s.billing.deps.models.usage.countDocuments()).toBe(3);
  // A non-decimal quantity never reaches the resolver: the Decimal scalar refuses the request
  // (asked directly; the gateway currently relays a subgraph's 400 as INTERNAL_SERVER_ERROR).
  const nonDecimal = await s.subgraph('mutation ($r: [UsageRecordInput!]!) { recordUsage(records: $r) { accepted } }', { r: [row('u-x', { quantity: '1e3' })] }, op);
  expect(nonDecimal.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
});

it('the usage connector reports through usage.reported: same rules, same idempotency', async () => {
  await s.publish('usage.reported', {
    records: [row('ev-1', { quantity: '3' }), row('u-1', { quantity: '10' }), row('ev-2', { quantity: 'abc' }), row('ev-3', { quantity: '1e3' }), row('ev-4', { quantity: '0.5' })],
  });
  await waitFor('reported usage', async () => (await s.billing.deps.models.usage.countDocuments()) === 5);
  const stored = await s.billing.deps.models.usage.find({ _id: { $in: ['ev-1', 'ev-2', 'ev-3', 'ev-4', 'u-1'] } }).lean();
  expect(stored.map((d) => [d._id, d.quantity]).sort()).toEqual([['ev-1', '3'], ['ev-4', '0.5'], ['u-1', '10']]);
});

it('unbilled charges show new usage at once, in few store round trips', async () => {
  // So far on USE: 10 + 2.5 + 3 + 0.5 = 16 units × 0.10 = 1.60
  expect(await unbilled(s, op, USE)).toEqual([{ amount: '1.60', currency: 'EUR' }]);
  await s.op('RecordUsage', { records: [row('u-20', { quantity: '100' })] }, op);
  // 84 more at 0.10 reach 100, then 16 at 0.08: 1.60 + 8.40 + 1.28 = 11.28 (the next read sees it: no wait)
  expect(await unbilled(s, op, USE)).toEqual([{ amount: '11.28', currency: 'EUR' }]);

  // A thousand rows: a handful of store commands on billing's collections, not one per row
  // (the kernel's mutation audit adds its own, not counted here).
  // Only the request's own commands count (relay polls and consumers run meanwhile).
  const billingCommands = async <T>(send: (headers: Record<string, string>) => Promise<T>) => {
    const { result, commands } = await storeCommandsOf(s.billing.rt.mongo, send);
    return { result, commands: commands.filter((c) => !c.endsWith(':mutation_audit')) };
  };
  const many = Array.from({ length: 1000 }, (_, i) => row(`bulk-${i}`, { quantity: '0.001', meterId: W.meter2 }));
  const ingest = await billingCommands((headers) => s.op('RecordUsage', { records: many }, op, headers));
  expect(ingest.result.data.recordUsage.accepted).toBe(1000);
  // facts of the named subscriptions, rate cards, prices, offers, one bulk insert; then the runs (which
  // segment the batch is folded into) and the fold of the one (subscription, meter, month) they
  // touch: its total, its rows, the total written, rows marked
  expect(ingest.commands.length).toBeLessThanOrEqual(9);
  // 11.28 + 1000 × 0.001 storage GB × 0.02 = 11.30; GONE: its cancellation-day row, 1 × 0.02.
  // Reading unbilled charges of two subscriptions is a handful of commands too.
  const read = await billingCommands((headers) => unbilledWith(s, op, headers, USE, GONE));
  expect(read.result).toEqual([{ amount: '11.30', currency: 'EUR' }, { amount: '0.02', currency: 'EUR' }]);
  expect(read.commands.length).toBeLessThanOrEqual(10);
});

it('more than 10,000 rows is BAD_USER_INPUT and stores nothing', async () => {
  const count = await s.billing.deps.models.usage.countDocuments();
  // Short values: the gateway takes request bodies up to 1 MB.
  const records = Array.from({ length: 10_001 }, (_, i) => ({ recordId: `x${i}`, subscriptionId: 's', meterId: 'm', quantity: '1', usageDate: '2026-10-12' }));
  const r = await s.op('RecordUsage', { records }, op);
  expect(errorCode(r)).toBe('BAD_USER_INPUT');
  expect(await s.billing.deps.models.usage.countDocuments()).toBe(count);
});

it('only the operator or a service with usage:write records usage', async () => {
  const records = [row('auth-1')];
  const partner = await s.mint({ userId: 'usr_p', kind: 'PARTNER_USER', partnerId: W.direct });
  expect(errorCode(await s.op('RecordUsage', { records }, partner))).toBe('FORBIDDEN');
  const readOnly = await s.mint({ userId: 'svc_ro', kind: 'SERVICE', scopes: ['usage:read'] });
  expect(errorCode(await s.op('RecordUsage', { records }, readOnly))).toBe('FORBIDDEN');
  expect(errorCode(await s.op('RecordUsage', { records }))).toBe('UNAUTHENTICATED');
  const connector = await s.mint({ userId: 'svc_usage', kind: 'SERVICE', scopes: ['usage:write'] });
  const r = await s.op('RecordUsage', { records }, connector);
  expect(r.data.recordUsage).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
});

describe('usage writers are scoped (issue 17)', () => {
  const connector = () => s.mint({ userId: 'cli_vendor1', kind: 'SERVICE', scopes: ['usage:write'] });
  const partnerClient = (partnerId: string, scopes = ['usage:write']) => s.mint({ userId: `cli_${partnerId}`, kind: 'SERVICE', partnerId, scopes });

  it("refuses a partner-bound client's rows on another partner's subscription, without saying it exists", async () => {
    const r = await s.op('RecordUsage', { records: [row('scoped-1', { quantity: '5' })] }, await partnerClient(W.other));
    expect(r.errors).toBeUndefined();
    expect(r.data.recordUsage.accepted).toBe(0);
    expect(r.data.recordUsage.rejected[0].reason).toMatch(/unknown subscription sub_usage1/);
    expect(await s.billing.deps.models.usage.countDocuments({ recordId: 'scoped-1' })).toBe(0);
  });

  it("refuses a partner-bound client's rows on the vendor's meters unless granted usage:vendor-meters", async () => {
    const refused = await s.op('RecordUsage', { records: [row('scoped-2')] }, await partnerClient(W.direct));
    expect(refused.data.recordUsage.accepted).toBe(0);
    expect(refused.data.recordUsage.rejected[0].reason).toMatch(/not granted/);
    const granted = await s.op('RecordUsage', { records: [row('scoped-2')] }, await partnerClient(W.direct, ['usage:write', 'usage:vendor-meters']));
    expect(granted.data.recordUsage).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
  });

  it("scopes record ids to the writer: a partner's id does not shadow the vendor connector's row", async () => {
    const claim = await s.op('RecordUsage', { records: [row('shared-id-1')] }, await partnerClient(W.direct, ['usage:write', 'usage:vendor-meters']));
    expect(claim.data.recordUsage.accepted).toBe(1);
    const real = await s.op('RecordUsage', { records: [row('shared-id-1', { quantity: '3' })] }, await connector());
    expect(real.data.recordUsage).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    // The vendor's own writers (operator, connector) share one key space: a retry is a duplicate.
    const again = await s.op('RecordUsage', { records: [row('shared-id-1', { quantity: '3' })] }, op);
    expect(again.data.recordUsage.duplicates).toBe(1);
  });
});
