import { errorCode, startStack, type Stack } from '@csp/testkit';
import { graphql, storeCommandsOf } from '@csp/testkit';
import { catalogDeps, eventually, partnerCaller, queuedEvents } from './helpers';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('catalog-browse', { services: ['catalog'] });
});
afterAll(() => stack?.stop());

describe('markets', () => {
  it('Markets lists the seeded markets with currencies and countries, to anonymous callers too', async () => {
    const r = await stack.op('Markets');
    expect(r.errors).toBeUndefined();
    const byCode = Object.fromEntries(r.data.markets.map((m: { code: string }) => [m.code, m]));
    expect(byCode.DE).toEqual({ code: 'DE', name: expect.stringMatching(/Germany/), currency: 'EUR', countries: ['DE'] });
    expect(byCode.NORDIC.countries).toEqual(expect.arrayContaining(['SE', 'DK', 'FI', 'NO']));
    expect(byCode.US).toMatchObject({ currency: 'USD', countries: expect.arrayContaining(['US']) });
    expect(byCode.UK).toMatchObject({ currency: 'GBP', countries: ['GB'] });
  });

  it('a country belongs to exactly one market', async () => {
    const all = (await stack.op('Markets')).data.markets.flatMap((m: { countries: string[] }) => m.countries);
    expect(new Set(all).size).toBe(all.length);
    const token = await stack.operatorToken();
    const r = await stack.gql(
      `mutation { upsertMarket(input: { code: "DACH", name: "DACH", currency: "EUR", countries: ["AT", "CH", "DE"] }) { market { code } } }`,
      {},
      token,
    );
    expect(errorCode(r)).toBe('CONFLICT');
    // Nothing claimed: CH is still free, DACH does not exist.
    const markets = (await stack.op('Markets')).data.markets;
    expect(markets.map((m: { code: string }) => m.code)).not.toContain('DACH');
    expect(await catalogDeps(stack).marketService.countries.exists({ _id: 'CH' })).toBeNull();
  });

  it('publishes market.upserted for every seeded market to identity and subscription (billing takes markets from partners)', async () => {
    for (const consumer of ['identity', 'subscription']) {
      const events = await eventually(async () => {
        const evs = await queuedEvents(stack, consumer, 'market.upserted');
        return evs.length >= 4 && evs;
      });
      expect(events.map((e) => e.payload.code).sort()).toEqual(['DE', 'NORDIC', 'UK', 'US']);
      expect(events.find((e) => e.payload.code === 'DE')!.payload).toEqual({ code: 'DE', name: expect.any(String), currency: 'EUR', countries: ['DE'] });
    }
  });
});

describe('offers', () => {
  it('Offers lists the seeded offers of a country with prices in its market currency', async () => {
    const r = await stack.op('Offers', { country: 'SE', first: 50 });
    expect(r.errors).toBeUndefined();
    const byName = Object.fromEntries(r.data.offers.edges.map((e: { node: { name: string } }) => [e.node.name, e.node]));
    expect(byName['Azure plan']).toMatchObject({ id: 'off_azure_plan', family: 'AZURE', billingType: 'USAGE', unitPrice: null });
    for (const name of ['Office 365 E3', 'Office 365 E5', 'Microsoft 365 Business Premium']) {
      expect(byName[name]).toMatchObject({ family: 'OFFICE_365', billingType: 'LICENSE', minQuantity: 1 });
      expect(byName[name].unitPrice).toEqual({ amount: expect.stringMatching(/^\d+\.\d{2}$/), currency: 'EUR' });
    }
    expect(byName['Microsoft 365 Business Premium'].maxQuantity).toBe(300);
    expect(Object.values(byName).some((o: any) => o.family === 'DYNAMICS_365')).toBe(true); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(r.data.offers.totalCount).toBe(r.data.offers.edges.length);

    const us = await stack.op('Offers', { country: 'US', family: 'OFFICE_365' });
    const e3 = us.data.offers.edges.find((e: { node: { id: string } }) => e.node.id === 'off_o365_e3').node;
    expect(e3.unitPrice).toEqual({ amount: '23.00', currency: 'USD' });
    expect(us.data.offers.edges.every((e: { node: { family: string } }) => e.node.family === 'OFFICE_365')).toBe(true);
    const gb = await stack.op('Offers', { country: 'gb', family: 'OFFICE_365' });
    expect(gb.data.offers.edges[0].node.unitPrice.currency).toBe('GBP');
  });

  it('publishes the seed offers to subscription and billing with back-dated prices and availability', async () => {
    const published = await eventually(async () => (await queuedEvents(stack, 'billing', 'offer.published')).find((e) => e.payload.offerId === 'off_o365_e3'));
    expect(published.payload).toMatchObject({
      billingType: 'LICENSE',
      pricesEffectiveFrom: '2026-01-01T00:00:00.000Z',
      prices: expect.arrayContaining([{ market: 'US', currency: 'USD', unitPrice: '23.00' }]),
    });
    const availability = await eventually(async () =>
      (await queuedEvents(stack, 'subscription', 'offer.availabilityChanged')).find((e) => e.payload.offerId === 'off_contoso_backup'),
    );
    expect(availability.payload.availability).toEqual([
      { market: 'UK', availableFrom: '2026-01-01T00:00:00.000Z' },
      { market: 'US', availableFrom: '2026-01-01T00:00:00.000Z' },
    ]);
  });

  it('an offer available only in some markets is listed only there', async () => {
    const ids = async (country: string) =>
      (await stack.op('Offers', { country, first: 50 })).data.offers.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(await ids('US')).toContain('off_contoso_backup');
    expect(await ids('DE')).not.toContain('off_contoso_backup');
  });

  it('pages with first/after', async () => {
    const all = (await stack.op('Offers', { country: 'US', first: 50 })).data.offers;
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = (await stack.op('Offers', { country: 'US', first: 2, after })).data.offers;
      expect(page.totalCount).toBe(all.totalCount);
      seen.push(...page.edges.map((e: { node: { id: string } }) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.edges.map((e: { node: { id: string } }) => e.node.id));
  });

  it('an unknown country is BAD_USER_INPUT', async () => {
    const r = await stack.op('Offers', { country: 'XX' });
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toMatch(/"XX" is not (a country we sell in|an ISO 3166-1)/);
    expect(errorCode(await stack.op('Offers', { country: 'Germany' }))).toBe('BAD_USER_INPUT');
  });

  it('offer(id) answers one offer with its availability; an unknown id is NOT_FOUND', async () => {
    const token = await stack.mint(partnerCaller);
    const r = await stack.gql(`{ offer(id: "off_o365_e5") { id name prices { market unitPrice { amount currency } } availableIn { market availableFrom } } }`, {}, token);
    expect(r.errors).toBeUndefined();
    expect(r.data.offer.availableIn).toEqual(
      ['DE', 'NORDIC', 'UK', 'US'].map((market) => ({ market, availableFrom: '2026-01-01T00:00:00.000Z' })),
    );
    expect(r.data.offer.prices).toContainEqual({ market: 'US', unitPrice: { amount: '38.00', currency: 'USD' } });
    expect(errorCode(await stack.gql(`{ offer(id: "off_nope") { id } }`))).toBe('NOT_FOUND');
  });
});

describe('rate cards', () => {
  it('RateCard shows the Azure meters of a market: at least 15 across compute, storage, networking and databases, tiered', async () => {
    const r = await stack.op('RateCard', { market: 'DE' });
    expect(r.errors).toBeUndefined();
    const card = r.data.rateCard;
    expect(card).toMatchObject({ market: 'DE', currency: 'EUR', effectiveFrom: '2026-01-01T00:00:00.000Z' });
    expect(card.meters.length).toBeGreaterThanOrEqual(15);
    expect(new Set(card.meters.map((m: { category: string }) => m.category))).toEqual(new Set(['compute', 'storage', 'networking', 'databases']));
    const egress = card.meters.find((m: { id: string }) => m.id === 'mtr_egress_internet');
    expect(egress.rates.length).toBeGreaterThan(2);
    expect(egress.rates[0]).toEqual({ fromQuantity: '0', price: '0' });
    for (const m of card.meters) for (const t of m.rates) expect(typeof t.price).toBe('string');
    const us = (await stack.op('RateCard', { market: 'US' })).data.rateCard;
    expect(us.currency).toBe('USD');
    expect(us.meters.find((m: { id: string }) => m.id === 'mtr_functions_gb_seconds').rates[1]).toEqual({ fromQuantity: '400000', price: '0.000016' });
  });

  it('an unknown market is BAD_USER_INPUT', async () => {
    expect(errorCode(await stack.op('RateCard', { market: 'MARS' }))).toBe('BAD_USER_INPUT');
  });
});

describe('entities for other subgraphs', () => {
  it('resolves Offer, Market and Meter references with one store query per type, offers from memory', async () => {
    const catalog = stack.services.catalog!;
    const query = `query ($reps: [_Any!]!) { _entities(representations: $reps) {
      ... on Offer { id name } ... on Market { code currency } ... on Meter { id unit } } }`;
    const reps = [
      ...['off_azure_plan', 'off_o365_e3', 'off_o365_e5', 'off_missing'].map((id) => ({ __typename: 'Offer', id })),
      ...['DE', 'US', 'UK'].map((code) => ({ __typename: 'Market', code })),
      ...['mtr_vm_b2s', 'mtr_sql_storage', 'mtr_egress_internet'].map((id) => ({ __typename: 'Meter', id })),
    ];
    // Only the request's own commands count (the outbox relay polls the same collections meanwhile).
    const ask = () => storeCommandsOf(catalog.rt.mongo, (headers) => graphql(`${catalog.url}/graphql`, query, { reps }, { headers, internal: stack.env.INTERNAL_SECRET }));
    const first = await ask();
    const { result: r, commands } = await ask();
    const reads = (cs: string[]) => cs.filter((c) => c.startsWith('find:')).map((c) => c.slice('find:'.length)).sort();
    expect(r.errors).toBeUndefined();
    expect(r.data._entities.map((e: any) => e?.id ?? e?.code ?? null)).toEqual([ // eslint-disable-line @typescript-eslint/no-explicit-any
      'off_azure_plan', 'off_o365_e3', 'off_o365_e5', null, 'DE', 'US', 'UK', 'mtr_vm_b2s', 'mtr_sql_storage', 'mtr_egress_internet',
    ]);
    // Offers are read once per process and change (the first request may have loaded them).
    expect(reads(first.commands).filter((c) => c !== 'offers')).toEqual(['markets', 'meters']);
    expect(reads(commands)).toEqual(['markets', 'meters']);
  });
});

describe('changing markets (operator)', () => {
  it('upsertMarket adds a market with free countries, publishes it, and its countries can be browsed', async () => {
    const token = await stack.operatorToken();
    const r = await stack.gql(
      `mutation { upsertMarket(input: { code: "latam", name: "Latin America", currency: "usd", countries: ["mx", "BR"] }) { market { code name currency countries } } }`,
      {},
      token,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.upsertMarket.market).toEqual({ code: 'LATAM', name: 'Latin America', currency: 'USD', countries: ['BR', 'MX'] });
    const offers = await stack.op('Offers', { country: 'BR' });
    expect(offers.errors).toBeUndefined();
    expect(offers.data.offers.totalCount).toBe(0);
    const ev = await eventually(async () => (await queuedEvents(stack, 'identity', 'market.upserted')).find((e) => e.payload.code === 'LATAM'));
    expect(ev.payload).toEqual({ code: 'LATAM', name: 'Latin America', currency: 'USD', countries: ['BR', 'MX'] });
  });

  it("dropping a country frees it; a market's currency cannot change; partners cannot change markets", async () => {
    const token = await stack.operatorToken();
    const upsert = (countries: string, currency = 'USD', t = token) =>
      stack.gql(`mutation { upsertMarket(input: { code: "LATAM", name: "Latin America", currency: "${currency}", countries: [${countries}] }) { market { countries } } }`, {}, t);
    expect((await upsert('"BR"')).data.upsertMarket.market.countries).toEqual(['BR']);
    expect(errorCode(await stack.op('Offers', { country: 'MX' }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await upsert('"BR"', 'EUR'))).toBe('BAD_USER_INPUT');
    expect(errorCode(await upsert('"BR", "AR"', 'USD', await stack.mint(partnerCaller)))).toBe('FORBIDDEN');
    const latam = (await stack.op('Markets')).data.markets.find((m: { code: string }) => m.code === 'LATAM');
    expect(latam).toMatchObject({ currency: 'USD', countries: ['BR'] });
  });
});

describe('a country in exactly one market, under concurrency', () => {
  it('five markets racing for one country: one gets it, the others are CONFLICT and exist nowhere', async () => {
    const token = await stack.operatorToken();
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((i) =>
        stack.gql(`mutation { upsertMarket(input: { code: "RACE${i}", name: "Race ${i}", currency: "CLP", countries: ["CL"] }) { market { code } } }`, {}, token),
      ),
    );
    const winners = results.filter((r) => !r.errors).map((r) => r.data.upsertMarket.market.code);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => errorCode(r) === 'CONFLICT')).toHaveLength(4);
    const holding = (await stack.op('Markets')).data.markets.filter((m: { countries: string[] }) => m.countries.includes('CL'));
    expect(holding.map((m: { code: string }) => m.code)).toEqual(winners);
  });
});
