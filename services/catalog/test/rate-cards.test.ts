import { meterRatesAt, rateCardAt, type RateCardSnapshot } from '@csp/events';
import { errorCode, startStack, type Stack } from '@csp/testkit';
import { catalogDeps, customerCaller, eventually, partnerCaller, queuedEvents } from './helpers';

let stack: Stack;
let operator: string;
beforeAll(async () => {
  stack = await startStack('catalog-ratecards', { services: ['catalog'] });
  operator = await stack.operatorToken();
});
afterAll(() => stack?.stop());

const DAY = 24 * 3600 * 1000;
const PUBLISH = `mutation ($input: PublishRateCardInput!) {
  publishRateCard(input: $input) { rateCard { market currency effectiveFrom meters { id name category unit rates { fromQuantity price } } } }
}`;
const RATE_CARD_AT = `query ($market: String!, $at: DateTime) { rateCard(market: $market, at: $at) { effectiveFrom meters { id rates { fromQuantity price } } } }`;
const storedCards = () => catalogDeps(stack).rateCardService.cards.countDocuments();

/** Fine-grained prices and 1e-7 quantity steps: exact only if nothing passes through a float. */
const fineMeters = [
  {
    id: 'mtr_functions_gb_seconds',
    name: 'Functions Consumption execution time',
    category: 'compute',
    unit: '1 GB Second',
    rates: [
      { fromQuantity: '0', price: '0.000016' },
      { fromQuantity: '0.0000001', price: '0.0000159' },
      { fromQuantity: '0.0000002', price: '0.0000158' },
      { fromQuantity: '400000.0000003', price: '0.000000000000000001' },
    ],
  },
  {
    id: 'mtr_egress_internet',
    name: 'Data transfer out to the Internet',
    category: 'networking',
    unit: '1 GB',
    rates: [
      { fromQuantity: '0', price: '0' },
      { fromQuantity: '100', price: '0.081234567890123456' },
      { fromQuantity: '99999999999999999999.9999999', price: '0.01' },
    ],
  },
];

describe('publishing a rate card', () => {
  let effectiveFrom: string;

  it('keeps prices like 0.000016 and 1e-7 tier steps exact from publish to read', async () => {
    effectiveFrom = new Date(stack.services.catalog!.rt.clock.now().getTime() + 5 * DAY).toISOString();
    const r = await stack.gql(PUBLISH, { input: { market: 'DE', effectiveFrom, meters: fineMeters } }, operator);
    expect(r.errors).toBeUndefined();
    expect(r.data.publishRateCard.rateCard).toEqual({ market: 'DE', currency: 'EUR', effectiveFrom, meters: fineMeters });

    const read = await stack.gql(RATE_CARD_AT, { market: 'DE', at: effectiveFrom });
    expect(read.data.rateCard).toEqual({ effectiveFrom, meters: fineMeters.map((m) => ({ id: m.id, rates: m.rates })) });

    const ev = await eventually(async () =>
      (await queuedEvents(stack, 'billing', 'rateCard.published')).find((e) => e.payload.market === 'DE' && e.payload.effectiveFrom === effectiveFrom),
    );
    expect(ev.payload).toEqual({ market: 'DE', currency: 'EUR', effectiveFrom, meters: fineMeters });
  });

  it('a card that takes effect later leaves the current one in force until then; past dates keep the card then in force', async () => {
    const before = await stack.op('RateCard', { market: 'DE' });
    expect(before.data.rateCard.effectiveFrom).toBe('2026-01-01T00:00:00.000Z');
    expect(before.data.rateCard.meters.length).toBeGreaterThanOrEqual(15);

    await stack.services.catalog!.rt.clock.advance(new Date(Date.parse(effectiveFrom) + DAY));
    const now = await stack.op('RateCard', { market: 'DE' });
    expect(now.errors).toBeUndefined();
    expect(now.data.rateCard).toMatchObject({ market: 'DE', currency: 'EUR', effectiveFrom });
    expect(now.data.rateCard.meters.map((m: { id: string }) => m.id)).toEqual(fineMeters.map((m) => m.id));

    // A day before the new card: the seed card, with its own egress tiers.
    const past = await stack.gql(RATE_CARD_AT, { market: 'DE', at: new Date(Date.parse(effectiveFrom) - DAY).toISOString() });
    expect(past.data.rateCard.effectiveFrom).toBe('2026-01-01T00:00:00.000Z');
    const egressThen = past.data.rateCard.meters.find((m: { id: string }) => m.id === 'mtr_egress_internet');
    expect(egressThen.rates[1]).toEqual({ fromQuantity: '100', price: '0.08178' });
    // Before any card: none in force. Other markets are untouched.
    expect((await stack.gql(RATE_CARD_AT, { market: 'DE', at: '2025-06-01T00:00:00Z' })).data.rateCard).toBeNull();
    expect((await stack.op('RateCard', { market: 'US' })).data.rateCard.effectiveFrom).toBe('2026-01-01T00:00:00.000Z');

    const history = await stack.gql(`{ rateCards(market: "DE") { totalCount edges { node { effectiveFrom } } } }`, {}, await stack.mint(partnerCaller));
    expect(history.data.rateCards.edges.map((e: { node: { effectiveFrom: string } }) => e.node.effectiveFrom)).toEqual([
      '2026-01-01T00:00:00.000Z',
      effectiveFrom,
    ]);
  });

  it('the same card again changes nothing; a different card for the same market and instant is CONFLICT', async () => {
    const count = await storedCards();
    const again = await stack.gql(PUBLISH, { input: { market: 'DE', effectiveFrom, meters: fineMeters } }, operator);
    expect(again.errors).toBeUndefined();
    const changed = fineMeters.map((m, i) => (i === 0 ? { ...m, rates: [{ fromQuantity: '0', price: '0.000017' }] } : m));
    const r = await stack.gql(PUBLISH, { input: { market: 'DE', effectiveFrom, meters: changed } }, operator);
    expect(errorCode(r)).toBe('CONFLICT');
    expect(await storedCards()).toBe(count);
  });

  it('billing can find "the rate of meter M in market K on day D" from the published cards alone', async () => {
    const cards = (await queuedEvents(stack, 'billing', 'rateCard.published')).map((e) => e.payload as RateCardSnapshot);
    expect(cards.length).toBe(5); // four seeded markets + the DE card above (the repeat was a no-op)
    expect(rateCardAt(cards, 'DE', '2026-03-01')?.effectiveFrom).toBe('2026-01-01T00:00:00.000Z');
    expect(rateCardAt(cards, 'DE', effectiveFrom)?.effectiveFrom).toBe(effectiveFrom);
    expect(rateCardAt(cards, 'DE', '2025-12-31')).toBeUndefined();
    expect(meterRatesAt(cards, 'DE', 'mtr_functions_gb_seconds', effectiveFrom)?.[1]).toEqual({ fromQuantity: '0.0000001', price: '0.0000159' });
    expect(meterRatesAt(cards, 'US', 'mtr_egress_internet', effectiveFrom)?.[1]).toEqual({ fromQuantity: '100', price: '0.087' });
  });
});

describe('only the operator publishes rate cards', () => {
  it('partner and customer users get FORBIDDEN and nothing is stored', async () => {
    const count = await storedCards();
    for (const caller of [partnerCaller, customerCaller]) {
      const r = await stack.gql(PUBLISH, { input: { market: 'US', effectiveFrom: '2027-01-01T00:00:00Z', meters: fineMeters } }, await stack.mint(caller));
      expect(errorCode(r)).toBe('FORBIDDEN');
    }
    expect(await storedCards()).toBe(count);
  });
});

describe('bad rate cards are BAD_USER_INPUT and change nothing', () => {
  const meter = (rates: Array<[string, string]>) => [
    { id: 'mtr_test', name: 'Test meter', category: 'compute', unit: '1 Hour', rates: rates.map(([fromQuantity, price]) => ({ fromQuantity, price })) },
  ];
  const cases: Array<[string, Record<string, unknown>]> = [
    ['an unknown market', { market: 'MARS', meters: meter([['0', '1']]) }],
    ['a negative price', { meters: meter([['0', '1'], ['10', '-0.0000001']]) }],
    ['overlapping tiers (same start twice)', { meters: meter([['0', '1'], ['10', '0.9'], ['10', '0.8']]) }],
    ['fromQuantity not ascending', { meters: meter([['0', '1'], ['10', '0.9'], ['5', '0.8']]) }],
    ['a first tier not starting at 0', { meters: meter([['1', '1']]) }],
    ['a negative fromQuantity', { meters: meter([['0', '1'], ['-1', '1']]) }],
    ['a meter without tiers', { meters: meter([]) }],
    ['no meters', { meters: [] }],
    ['a meter twice', { meters: [...meter([['0', '1']]), ...meter([['0', '2']])] }],
  ];
  it.each(cases)('with %s', async (_what, change) => {
    const count = await storedCards();
    const meters = await catalogDeps(stack).rateCardService.meters.countDocuments();
    const input = { market: 'US', effectiveFrom: '2027-02-01T00:00:00Z', meters: meter([['0', '1']]), ...change };
    const r = await stack.gql(PUBLISH, { input }, operator);
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(await storedCards()).toBe(count);
    expect(await catalogDeps(stack).rateCardService.meters.countDocuments()).toBe(meters);
    expect((await stack.gql(RATE_CARD_AT, { market: 'US', at: '2027-03-01T00:00:00Z' })).data.rateCard.effectiveFrom).toBe('2026-01-01T00:00:00.000Z');
  });
});
