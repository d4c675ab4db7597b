import { Readable } from 'node:stream';
import { graphql } from '@csp/testkit';
import { seedWorld, startBillingStack, subFact, unbilled, W, waitFor, waitForFacts, type BillingStack } from './billing-fixtures';

/** Bulk usage through the gateway's POST /usage/records: NDJSON or CSV, streamed, batched into ingestUsage. */
let s: BillingStack;
let op: string;
const SUB = 'sub_stream1';
const base = { customerId: W.c1, partnerId: W.direct, billingType: 'USAGE' as const, quantity: 1, offerId: W.azure };

beforeAll(async () => {
  // Small batches, so a stream of a few hundred rows spans several.
  s = await startBillingStack('billstream', { BILLING_USAGE_STREAM_BATCH: '100' });
  op = await s.operatorToken();
  await seedWorld(s);
  await subFact(s, 'activated', { subscriptionId: SUB, ...base, at: '2026-10-01T00:00:00.000Z' });
  await waitForFacts(s, 1);
}, 60_000);
afterAll(() => s?.stop());

type Line = { line?: number; recordId?: string; reason?: string; stored?: { throughLine: number; rows: number }; done?: Totals; error?: unknown };
type Totals = { lines: number; rows: number; accepted: number; duplicates: number; rejected: number };

/** Posts `chunks` as one streamed body (each chunk sent as it is, so lines split across chunks). */
async function stream(chunks: Array<string | Buffer>, token?: string, type = 'application/x-ndjson') {
  const res = await fetch(`${s.gateway!.url}/usage/records`, {
    method: 'POST',
    headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: Readable.toWeb(Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)))) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  const text = await res.text();
  const lines: Line[] = res.headers.get('content-type')?.includes('ndjson') ? text.trim().split('\n').map((l) => JSON.parse(l)) : [];
  return { status: res.status, lines, body: lines.length ? undefined : JSON.parse(text), done: lines.at(-1)?.done, rejected: lines.filter((l) => l.line !== undefined) };
}

const row = (recordId: string, quantity = '1', over: Record<string, unknown> = {}) =>
  JSON.stringify({ recordId, subscriptionId: SUB, meterId: W.meter2, quantity, usageDate: '2026-10-12', ...over });
const stored = () => s.billing.deps.models.usage.countDocuments({ subscriptionId: SUB });

it('stores good rows, answers each bad line with its line number and reason, and the charges show them', async () => {
  const body = [
    row('st-1', '10'), // 1
    row('st-2', '2.5'), // 2
    '{"recordId": "st-3", "subscriptionId"', // 3 cut short: not JSON
    row('st-4', '1', { subscriptionId: 'sub_nope' }), // 4
    '', // 5 blank: not a row
    JSON.stringify({ recordId: 'st-6', subscriptionId: SUB, meterId: W.meter2, quantity: 1.5, usageDate: '2026-10-12' }), // 6 a float
    row('st-7', '1', { pad: 'x'.repeat(9_000) }), // 7 too long
    row('st-2', '2.5'), // 8 the same row again
    row('st-9', '-1'), // 9
    row('st-ü', '0.5'), // 10 last, no newline
  ].join('\n');
  // Chunks of 7 bytes: lines (and the two-byte ü) are cut across chunks.
  const bytes = Buffer.from(body);
  const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7));
  const r = await stream(chunks, op);
  expect(r.status).toBe(200);
  expect(r.done).toEqual({ lines: 10, rows: 9, accepted: 3, duplicates: 1, rejected: 5 });
  expect(r.rejected.map((x) => [x.line, x.recordId])).toEqual([[3, undefined], [4, 'st-4'], [6, 'st-6'], [7, undefined], [9, 'st-9']]);
  const reasons = r.rejected.map((x) => x.reason);
  expect(reasons[0]).toMatch(/not a JSON object/);
  expect(reasons[1]).toMatch(/unknown subscription sub_nope/);
  expect(reasons[2]).toMatch(/quantity must be a string/);
  expect(reasons[3]).toMatch(/longer than 8192 bytes/);
  expect(reasons[4]).toMatch(/negative/);
  expect(await s.billing.deps.models.usage.exists({ _id: 'st-ü' })).toBeTruthy();
  // 10 + 2.5 + 0.5 GB of storage at 0.02
  expect(await unbilled(s, op, SUB)).toEqual([{ amount: '0.26', currency: 'EUR' }]);

  // The same stream again stores nothing new: every good row is a duplicate.
  const again = await stream([body], op);
  expect(again.done).toMatchObject({ accepted: 0, duplicates: 4, rejected: 5 });
  expect(await unbilled(s, op, SUB)).toEqual([{ amount: '0.26', currency: 'EUR' }]);
});

it('reads CSV with its header in any column order', async () => {
  const csv = [
    'usageDate,recordId,quantity,meterId,subscriptionId', // 1
    `2026-10-13,csv-1,4,${W.meter2},${SUB}`, // 2
    `2026-10-13,csv-2,4,${W.meter2}`, // 3 a column short
    `2026-10-13,"csv-3",4,${W.meter2},${SUB}`, // 4 quoted
    `2026-10-13,csv-4,1,${W.meter2},${SUB}\r`, // 5 CRLF
  ].join('\n');
  const r = await stream([csv], op, 'text/csv');
  expect(r.done).toEqual({ lines: 5, rows: 4, accepted: 2, duplicates: 0, rejected: 2 });
  expect(r.rejected.map((x) => x.line)).toEqual([3, 4]);
  expect(r.rejected[0].reason).toMatch(/expected 5 comma-separated values, found 4/);
  expect(r.rejected[1].reason).toMatch(/quoted CSV fields are not supported/);
  expect(await unbilled(s, op, SUB)).toEqual([{ amount: '0.36', currency: 'EUR' }]);

  const noHeader = await stream([`2026-10-13,csv-9,4,${W.meter2},${SUB}\n`], op, 'text/csv');
  expect(noHeader.status).toBe(400);
  expect(noHeader.body.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/header/) });
});

it('stores a stream larger than one batch batch by batch, saying how far each got', async () => {
  const before = await stored();
  const rows = Array.from({ length: 250 }, (_, i) => `${row(`big-${i}`, '0.001')}\n`);
  const r = await stream(rows, op);
  expect(r.done).toEqual({ lines: 250, rows: 250, accepted: 250, duplicates: 0, rejected: 0 });
  expect(r.lines.filter((l) => l.stored).map((l) => [l.stored!.throughLine, l.stored!.rows])).toEqual([[100, 100], [200, 100], [250, 50]]);
  expect((await stored()) - before).toBe(250);
  // The last batch folds into the totals after the answer: read at once or after its fold, the
  // charges are the same (its rows count from their insert on).
  const atOnce = await unbilled(s, op, SUB);
  await waitFor('the folds of the stream', async () => (await s.billing.deps.models.usagePending.countDocuments({ subscriptionId: SUB })) === 0, 10_000);
  expect(await unbilled(s, op, SUB)).toEqual(atOnce);
});

it('refuses callers recordUsage refuses, before storing anything', async () => {
  const before = await stored();
  const body = [row('auth-1')];
  const none = await stream(body);
  expect(none.status).toBe(401);
  expect(none.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  expect((await stream(body, 'not-a-jwt')).status).toBe(401);
  const partner = await stream(body, await s.mint({ userId: 'usr_p', kind: 'PARTNER_USER', partnerId: W.direct }));
  expect(partner.status).toBe(403);
  expect(partner.body.errors[0].extensions.code).toBe('FORBIDDEN');
  const readOnly = await stream(body, await s.mint({ userId: 'svc_ro', kind: 'SERVICE', scopes: ['usage:read'] }));
  expect(readOnly.status).toBe(403);
  expect(readOnly.body.errors[0].message).toMatch(/usage:write/);
  expect((await stream(body, op, 'application/xml')).status).toBe(415);
  // Billing's own endpoint answers only the gateway, whatever the token.
  const direct = await fetch(`${s.billing.url}/internal/usage/records`, { method: 'POST', headers: { authorization: `Bearer ${op}` }, body: body[0] });
  expect(direct.status).toBe(401);
  expect(await stored()).toBe(before);
  // The connector is let in.
  const connector = await stream(body, await s.mint({ userId: 'svc_usage', kind: 'SERVICE', scopes: ['usage:write'] }));
  expect(connector.done).toMatchObject({ accepted: 1 });
});

it("a partner-bound connector cannot write another partner's subscription: it reads as unknown", async () => {
  const other = await s.mint({ userId: 'cli_other', kind: 'SERVICE', partnerId: W.other, scopes: ['usage:write', 'usage:vendor-meters'] });
  const r = await stream([row('other-1', '5')], other);
  expect(r.done).toMatchObject({ accepted: 0, rejected: 1 });
  expect(r.rejected[0]).toMatchObject({ line: 1, recordId: 'other-1', reason: `unknown subscription ${SUB}` });
  expect(await s.billing.deps.models.usage.countDocuments({ recordId: 'other-1' })).toBe(0);
  // recordUsage itself still works as before beside the stream.
  const gql = await graphql(s.gatewayUrl, 'mutation ($r: [UsageRecordInput!]!) { recordUsage(records: $r) { accepted duplicates } }', { r: [JSON.parse(row('gql-1'))] }, { token: op });
  expect(gql.data?.recordUsage).toEqual({ accepted: 1, duplicates: 0 });
});
