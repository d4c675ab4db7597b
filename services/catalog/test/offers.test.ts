import { contractOperation, errorCode, graphql, startStack, type Stack } from '@csp/testkit';
import { catalogDeps, customerCaller, eventually, partnerCaller, queuedEvents } from './helpers';

let stack: Stack;
let operator: string;
beforeAll(async () => {
  stack = await startStack('catalog-offers', { services: ['catalog'] });
  operator = await stack.operatorToken();
});
afterAll(() => stack?.stop());

const DAY = 24 * 3600 * 1000;
const offerIds = async (country: string, family?: string) =>
  (await stack.op('Offers', { country, family, first: 100 })).data.offers.edges.map((e: { node: { id: string } }) => e.node.id);
const storedOffers = () => catalogDeps(stack).offerService.offers.countDocuments();

const teams = {
  name: 'Microsoft Teams Essentials',
  family: 'OFFICE_365',
  billingType: 'LICENSE',
  minQuantity: 1,
  maxQuantity: 300,
  prices: [
    { market: 'NORDIC', unitPrice: '3.68' },
    { market: 'US', unitPrice: '4.00' },
  ],
};

describe('publishing an offer and scheduling its availability', () => {
  let offerId: string;

  it('PublishOffer stores an offer that is not listed anywhere yet', async () => {
    const r = await stack.op('PublishOffer', { input: teams }, operator);
    expect(r.errors).toBeUndefined();
    expect(r.data.publishOffer.offer).toMatchObject({ name: teams.name, family: 'OFFICE_365', billingType: 'LICENSE' });
    offerId = r.data.publishOffer.offer.id;
    expect(await offerIds('SE')).not.toContain(offerId);
    const ev = await eventually(async () => (await queuedEvents(stack, 'subscription', 'offer.published')).find((e) => e.payload.offerId === offerId));
    expect(ev.payload).toMatchObject({
      name: teams.name,
      billingType: 'LICENSE',
      minQuantity: 1,
      maxQuantity: 300,
      prices: [
        { market: 'NORDIC', currency: 'EUR', unitPrice: '3.68' },
        { market: 'US', currency: 'USD', unitPrice: '4.00' },
      ],
    });
  });

  it('an offer available from a future date is not listed until the clock passes that date', async () => {
    const now = stack.services.catalog!.rt.clock.now();
    const from = new Date(now.getTime() + 10 * DAY);
    const r = await stack.op('SetOfferAvailability', { offerId, markets: ['NORDIC'], availableFrom: from.toISOString() }, operator);
    expect(r.errors).toBeUndefined();
    expect(r.data.setOfferAvailability.offer).toEqual({ id: offerId, availableIn: [{ market: 'NORDIC', availableFrom: from.toISOString() }] });
    expect(await offerIds('SE')).not.toContain(offerId);

    // The subscription service learns the date, so it can refuse orders before it.
    const ev = await eventually(async () =>
      (await queuedEvents(stack, 'subscription', 'offer.availabilityChanged')).find((e) => e.payload.offerId === offerId),
    );
    expect(ev.payload).toEqual({ offerId, availability: [{ market: 'NORDIC', availableFrom: from.toISOString() }], revision: 2 });

    await stack.services.catalog!.rt.clock.advance(new Date(from.getTime() + 1000));
    expect(await offerIds('SE')).toContain(offerId);
    expect(await offerIds('FI', 'OFFICE_365')).toContain(offerId);
    expect(await offerIds('US')).not.toContain(offerId);
    const listed = (await stack.op('Offers', { country: 'FI', family: 'OFFICE_365', first: 100 })).data.offers.edges.find(
      (e: { node: { id: string } }) => e.node.id === offerId,
    ).node;
    expect(listed.unitPrice).toEqual({ amount: '3.68', currency: 'EUR' });
  });

  it('availability without a date starts now and keeps the other markets', async () => {
    const now = stack.services.catalog!.rt.clock.now();
    const r = await stack.op('SetOfferAvailability', { offerId, markets: ['US'] }, operator);
    expect(r.errors).toBeUndefined();
    const availableIn = r.data.setOfferAvailability.offer.availableIn;
    expect(availableIn.map((a: { market: string }) => a.market)).toEqual(['NORDIC', 'US']);
    expect(Math.abs(Date.parse(availableIn[1].availableFrom) - now.getTime())).toBeLessThan(5_000);
    expect(await offerIds('US')).toContain(offerId);
    const ev = await eventually(async () =>
      (await queuedEvents(stack, 'subscription', 'offer.availabilityChanged')).find((e) => e.payload.offerId === offerId && e.payload.revision === 3),
    );
    expect(ev.payload.availability.map((a: { market: string }) => a.market)).toEqual(['NORDIC', 'US']);
  });

  it('setOfferPrices changes prices from now on and tells billing from when', async () => {
    const SET = `mutation ($offerId: ID!, $prices: [OfferPriceInput!]!) { setOfferPrices(offerId: $offerId, prices: $prices) { offer { prices { market unitPrice { amount currency } } } } }`;
    const now = stack.services.catalog!.rt.clock.now();
    const r = await stack.gql(SET, { offerId, prices: [{ market: 'US', unitPrice: '4.25' }, { market: 'UK', unitPrice: '3.40' }] }, operator);
    expect(r.errors).toBeUndefined();
    expect(r.data.setOfferPrices.offer.prices).toEqual([
      { market: 'NORDIC', unitPrice: { amount: '3.68', currency: 'EUR' } },
      { market: 'UK', unitPrice: { amount: '3.40', currency: 'GBP' } },
      { market: 'US', unitPrice: { amount: '4.25', currency: 'USD' } },
    ]);
    const us = (await stack.op('Offers', { country: 'US', first: 100 })).data.offers.edges.find((e: { node: { id: string } }) => e.node.id === offerId).node;
    expect(us.unitPrice).toEqual({ amount: '4.25', currency: 'USD' });
    const ev = await eventually(async () =>
      (await queuedEvents(stack, 'billing', 'offer.published')).find((e) => e.payload.offerId === offerId && e.payload.revision === 4),
    );
    expect(ev.payload.prices).toContainEqual({ market: 'US', currency: 'USD', unitPrice: '4.25' });
    expect(Math.abs(Date.parse(ev.payload.pricesEffectiveFrom) - now.getTime())).toBeLessThan(5_000);

    expect(errorCode(await stack.gql(SET, { offerId, prices: [{ market: 'US', unitPrice: '-1' }] }, operator))).toBe('BAD_USER_INPUT');
    expect(errorCode(await stack.gql(SET, { offerId: 'off_azure_plan', prices: [{ market: 'US', unitPrice: '1' }] }, operator))).toBe('BAD_USER_INPUT');
    expect(errorCode(await stack.gql(SET, { offerId, prices: [{ market: 'US', unitPrice: '0.01' }] }, await stack.mint(partnerCaller)))).toBe('FORBIDDEN');
    const stored = await catalogDeps(stack).offerService.offers.findById(offerId).lean();
    expect(stored!.prices.find((p) => p.market === 'US')!.unitPrice).toBe('4.25');
  });

  it('a USAGE offer is published without prices and listed with no unit price', async () => {
    const r = await stack.op(
      'PublishOffer',
      { input: { name: 'Azure plan for government', family: 'AZURE', billingType: 'USAGE' } },
      operator,
    );
    expect(r.errors).toBeUndefined();
    const id = r.data.publishOffer.offer.id;
    await stack.op('SetOfferAvailability', { offerId: id, markets: ['US'] }, operator);
    const node = (await stack.op('Offers', { country: 'US', family: 'AZURE', first: 100 })).data.offers.edges.find(
      (e: { node: { id: string } }) => e.node.id === id,
    ).node;
    expect(node).toMatchObject({ billingType: 'USAGE', unitPrice: null, minQuantity: 1, maxQuantity: 1 });
  });
});

describe('only the operator publishes', () => {
  it('partner and customer users get FORBIDDEN, anonymous callers UNAUTHENTICATED, and nothing is stored', async () => {
    const before = await storedOffers();
    for (const caller of [partnerCaller, customerCaller]) {
      const token = await stack.mint(caller);
      expect(errorCode(await stack.op('PublishOffer', { input: teams }, token))).toBe('FORBIDDEN');
      expect(errorCode(await stack.op('SetOfferAvailability', { offerId: 'off_o365_e3', markets: ['DE'] }, token))).toBe('FORBIDDEN');
    }
    expect(errorCode(await stack.op('PublishOffer', { input: teams }))).toBe('UNAUTHENTICATED');
    expect(await storedOffers()).toBe(before);
  });

  it('every signed-in caller may read the catalog', async () => {
    for (const caller of [partnerCaller, customerCaller]) {
      const r = await stack.op('Offers', { country: 'DE' }, await stack.mint(caller));
      expect(r.errors).toBeUndefined();
      expect(r.data.offers.totalCount).toBeGreaterThan(3);
    }
  });
});

describe('bad input is BAD_USER_INPUT and changes nothing', () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['unknown market', { prices: [{ market: 'MARS', unitPrice: '1.00' }] }],
    ['negative price', { prices: [{ market: 'US', unitPrice: '-0.01' }] }],
    ['min greater than max', { minQuantity: 10, maxQuantity: 5 }],
    ['quantity below 1', { minQuantity: 0 }],
    ['a market priced twice', { prices: [{ market: 'US', unitPrice: '1.00' }, { market: 'us', unitPrice: '2.00' }] }],
    ['a LICENSE offer without prices', { prices: [] }],
    ['a USAGE offer with prices', { billingType: 'USAGE', family: 'AZURE', maxQuantity: 1 }],
    ['an empty name', { name: '  ' }],
  ];
  it.each(cases)('PublishOffer with %s', async (_what, change) => {
    const before = await storedOffers();
    const r = await stack.op('PublishOffer', { input: { ...teams, ...change } }, operator);
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(r.data?.publishOffer ?? null).toBeNull();
    expect(await storedOffers()).toBe(before);
  });

  it('a price that is a JSON number, not a decimal string, is refused before any resolver runs', async () => {
    const before = await storedOffers();
    const input = { ...teams, prices: [{ market: 'US', unitPrice: 4.1 }] };
    // Straight at the subgraph: the Decimal scalar refuses the float while coercing variables.
    const direct = await graphql(`${stack.services.catalog!.url}/graphql`, contractOperation('PublishOffer').source, { input }, { token: operator, internal: stack.env.INTERNAL_SECRET });
    expect(errorCode(direct)).toBe('BAD_USER_INPUT');
    expect(direct.errors![0].message).toMatch(/Decimal must be a string/);
    // Through the gateway it is an error too (the gateway relays the subgraph's 400), and nothing is stored.
    const r = await stack.op('PublishOffer', { input }, operator);
    expect(r.errors?.length).toBeGreaterThan(0);
    expect(r.data?.publishOffer ?? null).toBeNull();
    expect(await storedOffers()).toBe(before);
  });

  const availabilityCases: Array<[string, Record<string, unknown>]> = [
    ['an unknown offer', { offerId: 'off_nope', markets: ['US'] }],
    ['an unknown market', { offerId: 'off_o365_e3', markets: ['MARS'] }],
    ['no market', { offerId: 'off_o365_e3', markets: [] }],
    ['a market where the LICENSE offer has no price', { offerId: 'off_contoso_backup', markets: ['DE'] }],
  ];
  it.each(availabilityCases)('SetOfferAvailability with %s', async (_what, vars) => {
    const offer = vars.offerId === 'off_nope' ? null : await catalogDeps(stack).offerService.offers.findById(vars.offerId).lean();
    const r = await stack.op('SetOfferAvailability', vars, operator);
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    if (offer) expect(await catalogDeps(stack).offerService.offers.findById(vars.offerId).lean()).toEqual(offer);
  });
});
