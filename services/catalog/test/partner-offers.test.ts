import { errorCode, startStack, type Stack } from '@csp/testkit';
import { catalogDeps, eventually, queuedEvents } from './helpers';

/** Partner offers in the catalog: owned by their partner, priced in its currency, events to ordering and billing. */
let stack: Stack;
let partner: string;
let rival: string;
const PARTNER = 'ptn_vas_1';
const RIVAL = 'ptn_vas_2';

beforeAll(async () => {
  stack = await startStack('catalog-partner-offers', { services: ['catalog'] });
  for (const [id, name] of [
    [PARTNER, 'VAS One'],
    [RIVAL, 'VAS Two'],
  ]) {
    await stack.publish('partner.onboarded', { partnerId: id, name, tier: 'DIRECT_PROVIDER', country: 'DE', market: 'DE', currency: 'EUR', adminAgentsGroupId: `grp_${id}` });
  }
  await eventually(async () => (await catalogDeps(stack).partnerOfferService.partners.countDocuments()) === 2, 20_000, 'partners in the catalog');
  partner = await stack.mint({ userId: 'usr_vas_1', kind: 'PARTNER_USER', partnerId: PARTNER });
  rival = await stack.mint({ userId: 'usr_vas_2', kind: 'PARTNER_USER', partnerId: RIVAL });
});
afterAll(() => stack?.stop());

const stored = () => catalogDeps(stack).partnerOfferService.offers.countDocuments();
const valid = { name: 'Managed backup', chargeType: 'MONTHLY', unitPrice: { amount: '12.50', currency: 'EUR' }, fulfilment: 'AUTOMATIC' };
const change = `mutation ($o: ID!, $p: MoneyInput!, $f: DateTime) { changePartnerOfferPrice(offerId: $o, unitPrice: $p, effectiveFrom: $f) { offer { unitPrice { amount } prices { unitPrice { amount } effectiveFrom } } } }`;
const retire = `mutation ($o: ID!) { retirePartnerOffer(offerId: $o) { offer { status retiredAt } } }`;

it('refuses bad input with a clear message and stores nothing', async () => {
  const before = await stored();
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ name: ' ' }, 'name'],
    [{ unitPrice: { amount: '-1.00', currency: 'EUR' } }, 'unitPrice.amount'],
    [{ unitPrice: { amount: '1.00', currency: 'USD' } }, 'unitPrice.currency'],
    [{ attachesToOfferId: 'off_nowhere' }, 'attachesToOfferId'],
  ];
  for (const [patch, field] of cases) {
    const r = await stack.op('PublishPartnerOffer', { input: { ...valid, ...patch } }, partner);
    expect([errorCode(r), r.errors?.[0]?.extensions?.field]).toEqual(['BAD_USER_INPUT', field]);
  }
  const customer = await stack.mint({ userId: 'usr_c', kind: 'CUSTOMER_USER', customerId: 'cus_1' });
  expect(errorCode(await stack.op('PublishPartnerOffer', { input: valid }, customer))).toBe('FORBIDDEN');
  expect(errorCode(await stack.op('PublishPartnerOffer', { input: valid }))).toBe('UNAUTHENTICATED');
  expect(await stored()).toBe(before);
});

it('publish, price change and retirement go to ordering and billing; only the owner sees or changes the offer', async () => {
  // Not the contract operation: these partners exist only as events here, so identity cannot name them.
  const r = await stack.gql('mutation ($input: PublishPartnerOfferInput!) { publishPartnerOffer(input: $input) { offer { id publisher { id } } } }', { input: { ...valid, attachesToOfferId: 'off_azure_plan' } }, partner);
  expect(r.errors).toBeUndefined();
  expect(r.data.publishPartnerOffer.offer.publisher).toEqual({ id: PARTNER });
  const id = r.data.publishPartnerOffer.offer.id as string;
  const published = await eventually(async () => (await queuedEvents(stack, 'subscription', 'partnerOffer.published')).find((e) => e.payload.offerId === id), 20_000, 'published');
  expect(published.payload).toMatchObject({ publisherId: PARTNER, name: 'Managed backup', chargeType: 'MONTHLY', fulfilment: 'AUTOMATIC', attachesToOfferId: 'off_azure_plan', price: { unitPrice: '12.50', currency: 'EUR' } });
  expect((await queuedEvents(stack, 'billing', 'partnerOffer.published')).some((e) => e.payload.offerId === id)).toBe(true);

  const future = new Date(Date.parse((await stack.op('Clock')).data.clock.now) + 7 * 86_400_000).toISOString();
  const changed = await stack.gql(change, { o: id, p: { amount: '14.00', currency: 'EUR' }, f: future }, partner);
  expect(changed.errors).toBeUndefined();
  expect(changed.data.changePartnerOfferPrice.offer.unitPrice.amount).toBe('12.50');
  const priceEvent = await eventually(async () => (await queuedEvents(stack, 'billing', 'partnerOffer.priceChanged')).find((e) => e.payload.offerId === id), 20_000, 'price changed');
  expect(priceEvent.payload.price).toEqual({ unitPrice: '14.00', currency: 'EUR', effectiveFrom: future });

  // The rival: NOT_FOUND for all of it, and nothing changed.
  for (const [q, v] of [
    [change, { o: id, p: { amount: '1.00', currency: 'EUR' } }],
    [retire, { o: id }],
    ['query ($o: ID!) { partnerOffer(id: $o) { id } }', { o: id }],
  ] as const) {
    expect(errorCode(await stack.gql(q, v, rival))).toBe('NOT_FOUND');
  }
  expect((await stack.gql('query ($o: ID!) { partnerOffer(id: $o) { status prices { unitPrice { amount } } } }', { o: id }, partner)).data.partnerOffer).toEqual({
    status: 'ACTIVE',
    prices: [{ unitPrice: { amount: '12.50' } }, { unitPrice: { amount: '14.00' } }],
  });

  const first = await stack.gql(retire, { o: id }, partner);
  expect(first.data.retirePartnerOffer.offer.status).toBe('RETIRED');
  // Retiring again changes nothing and announces nothing twice.
  expect((await stack.gql(retire, { o: id }, partner)).data.retirePartnerOffer.offer).toEqual(first.data.retirePartnerOffer.offer);
  await eventually(async () => (await queuedEvents(stack, 'subscription', 'partnerOffer.retired')).some((e) => e.payload.offerId === id), 20_000, 'retired');
  expect((await queuedEvents(stack, 'subscription', 'partnerOffer.retired')).filter((e) => e.payload.offerId === id)).toHaveLength(1);
  expect(errorCode(await stack.gql(change, { o: id, p: { amount: '1.00', currency: 'EUR' } }, partner))).toBe('BAD_USER_INPUT');
  // Its partner lists it, the rival does not.
  const list = async (token: string) => JSON.stringify((await stack.gql('{ partnerOffers(first: 100) { totalCount edges { node { id status } } } }', {}, token)).data);
  expect(await list(partner)).toContain(id);
  expect(await list(rival)).not.toContain(id);
});
