import { agreeMarkup, seedWorld, startBillingStack, subFact, unbilled, W, waitForFacts, type BillingStack } from './billing-fixtures';

/** Usage detail by day and meter: the invoice's rating, split over days, summing to unbilledCharges. */
let s: BillingStack;
let op: string;
const SUB = 'sub_detail1';
const usageQuery = `query ($reps: [_Any!]!, $from: String!, $to: String!, $first: Int, $after: String) {
  _entities(representations: $reps) { ... on CloudSubscription { id
    usage(from: $from, to: $to, first: $first, after: $after) { totalCount edges { node { day meterId quantity unitPrice amount { amount currency } } } pageInfo { hasNextPage endCursor } } } } }`;

type Row = { day: string; meterId: string; quantity: string; unitPrice: string; amount: { amount: string; currency: string } };

async function usage(token: string, from: string, to: string, first?: number, after?: string) {
  const r = await s.subgraph(usageQuery, { reps: [{ __typename: 'CloudSubscription', id: SUB }], from, to, first, after }, token);
  return r;
}

async function allRows(token: string, from: string, to: string): Promise<Row[]> {
  const rows: Row[] = [];
  let after: string | undefined;
  for (;;) {
    const r = await usage(token, from, to, 3, after);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    const c = r.data._entities[0].usage;
    rows.push(...c.edges.map((e: { node: Row }) => e.node));
    if (!c.pageInfo.hasNextPage) return rows;
    after = c.pageInfo.endCursor;
  }
}

const errorCode = (r: { errors?: Array<{ extensions?: { code?: string } }> }) => r.errors?.[0]?.extensions?.code;
const cents = (rows: Row[]) => rows.reduce((a, r) => a + BigInt(r.amount.amount.replace('.', '')), 0n);

beforeAll(async () => {
  s = await startBillingStack('billdetail');
  op = await s.operatorToken();
  await seedWorld(s);
  await subFact(s, 'activated', { subscriptionId: SUB, customerId: W.c1, partnerId: W.direct, offerId: W.azure, billingType: 'USAGE', quantity: 1, at: '2026-10-20T09:00:00.000Z' });
  await waitForFacts(s, 1);
  // A customer price with a third of a cent per unit, so per-day rounding would drift.
  await agreeMarkup(s, `CUSTOMER|${W.direct}|${W.c1}`, '3.3333', '2026-10-01');
  const records = [];
  // Compute crosses the 100-hour tier on 5 November; uneven quantities round on every day.
  for (let d = 1; d <= 15; d++) {
    const day = `2026-11-${String(d).padStart(2, '0')}`;
    records.push({ recordId: `c-${d}`, subscriptionId: SUB, meterId: W.meter, quantity: `${(23.337 + d / 7).toFixed(3)}`, usageDate: day });
    records.push({ recordId: `s-${d}`, subscriptionId: SUB, meterId: W.meter2, quantity: '1.111', usageDate: day });
  }
  const r = await s.op('RecordUsage', { records }, op);
  expect(r.data.recordUsage.accepted).toBe(records.length);
}, 60_000);
afterAll(() => s?.stop());

it('pages the open month by day and meter; its amounts sum to unbilledCharges exactly, for each caller', async () => {
  const partner = await s.mint({ userId: 'usr_dp', kind: 'PARTNER_USER', partnerId: W.direct });
  const customer = await s.mint({ userId: 'usr_dc', kind: 'CUSTOMER_USER', customerId: W.c1 });
  for (const token of [op, partner, customer]) {
    const rows = await allRows(token, '2026-11-01', '2026-11-30');
    const [total] = await unbilled(s, token, SUB);
    expect(total).not.toBeNull();
    expect(rows.length).toBeGreaterThanOrEqual(30);
    expect(cents(rows)).toBe(BigInt(total!.amount.replace('.', '')));
    expect(new Set(rows.map((r) => `${r.day}|${r.meterId}|${r.unitPrice}`)).size).toBe(rows.length);
    // The tier boundary: a day of compute at two unit prices.
    const compute = rows.filter((r) => r.meterId === W.meter);
    expect(new Set(compute.map((r) => r.unitPrice)).size).toBe(2);
  }
  // The customer sees its own (marked-up) price, the partner the vendor price.
  const first = (await allRows(partner, '2026-11-01', '2026-11-01'))[0];
  const firstC = (await allRows(customer, '2026-11-01', '2026-11-01'))[0];
  expect(first.unitPrice).toBe('0.12');
  expect(firstC.unitPrice).toBe('0.12399996');
  expect(firstC.day).toBe('2026-11-01');
});

it('a range returns only its days', async () => {
  const rows = await allRows(op, '2026-11-03', '2026-11-04');
  expect([...new Set(rows.map((r) => r.day))]).toEqual(['2026-11-03', '2026-11-04']);
});

it('another partner sees nothing; bad days and cursors are refused clearly', async () => {
  const rival = await s.mint({ userId: 'usr_rv', kind: 'PARTNER_USER', partnerId: W.other });
  const r = await usage(rival, '2026-11-01', '2026-11-30');
  expect(r.data._entities[0].usage).toBeNull();
  const bad = await usage(op, '2026-11-31', '2026-11-30');
  expect(errorCode(bad)).toBe('BAD_USER_INPUT');
  const backwards = await usage(op, '2026-11-10', '2026-11-01');
  expect(backwards.errors?.[0].message).toMatch(/before/);
  const cursor = await usage(op, '2026-11-01', '2026-11-30', 2, 'nonsense');
  expect(errorCode(cursor)).toBe('BAD_USER_INPUT');
});

it('per meter and month so far (customer and partner) agree with the days and with unbilledCharges', async () => {
  const partner = await s.mint({ userId: 'usr_dp', kind: 'PARTNER_USER', partnerId: W.direct });
  const customer = await s.mint({ userId: 'usr_dc', kind: 'CUSTOMER_USER', customerId: W.c1 });
  for (const token of [partner, customer]) {
    const r = await s.subgraph(`query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on CloudSubscription { unbilledByMeter { meterId quantity amount { amount currency } } } } }`, { reps: [{ __typename: 'CloudSubscription', id: SUB }] }, token);
    const meters = r.data._entities[0].unbilledByMeter as Array<{ meterId: string; quantity: string; amount: { amount: string } }>;
    const rows = await allRows(token, '2026-11-01', '2026-11-30');
    expect(meters.map((m) => m.meterId)).toEqual([W.meter, W.meter2]);
    for (const m of meters) expect(BigInt(m.amount.amount.replace('.', ''))).toBe(cents(rows.filter((x) => x.meterId === m.meterId)));
    const [total] = await unbilled(s, token, SUB);
    const c = await s.subgraph(`query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Customer { monthToDate { amount currency } } } }`, { reps: [{ __typename: 'Customer', id: W.c1 }] }, token);
    expect(c.data._entities[0].monthToDate).toEqual([total]);
  }
  const p = await s.subgraph(`query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Partner { monthToDate { amount currency } } } }`, { reps: [{ __typename: 'Partner', id: W.direct }] }, partner);
  expect(p.data._entities[0].monthToDate).toEqual(await unbilled(s, partner, SUB));
  const bad = await s.subgraph(`{ _entities(representations: [{ __typename: "CloudSubscription", id: "${SUB}" }]) { ... on CloudSubscription { unbilledByMeter(month: "2026-13") { meterId } } } }`, {}, partner);
  expect(errorCode(bad)).toBe('BAD_USER_INPUT');
});
