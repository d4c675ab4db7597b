import { startStack, type Stack } from '@csp/testkit';
import { startCatalog } from '../src/app';
import type { CatalogDeps } from '../src/deps';
import { catalogDeps, eventually, queuedEvents } from './helpers';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('catalog-seed', { services: ['catalog'] });
});
afterAll(() => stack?.stop());

async function counts(deps: CatalogDeps) {
  const [markets, countries, offers, cards, meters] = await Promise.all([
    deps.marketService.markets.countDocuments(),
    deps.marketService.countries.countDocuments(),
    deps.offerService.offers.countDocuments(),
    deps.rateCardService.cards.countDocuments(),
    deps.rateCardService.meters.countDocuments(),
  ]);
  return { markets, countries, offers, cards, meters };
}

const envFor = (db: string, extra: Record<string, string> = {}) => ({
  ...stack.env,
  MONGO_DB: db,
  JWKS_URL: `${stack.identity.url}/.well-known/jwks.json`,
  ...extra,
});

describe('seed catalog', () => {
  it('loads markets, offers and one rate card per market at start', async () => {
    const c = await counts(catalogDeps(stack));
    expect(c.markets).toBe(4);
    expect(c.offers).toBeGreaterThanOrEqual(5);
    expect(c.cards).toBe(4);
    expect(c.meters).toBeGreaterThanOrEqual(15);
  });

  it('a second start on the same database duplicates nothing and publishes nothing again', async () => {
    const catalog = stack.services.catalog!;
    const before = await counts(catalogDeps(stack));
    const typesOf = async () => (await queuedEvents(stack, 'billing')).map((e) => e.id).sort();
    const events = await eventually(async () => {
      const ids = await typesOf();
      return ids.length >= before.offers + 4 && ids; // offers and rate cards (billing takes markets from partners)
    });
    const again = await startCatalog(envFor(catalog.rt.config.MONGO_DB), true);
    try {
      expect(await counts(again.deps)).toEqual(before);
      await again.relay.kick();
      expect(await typesOf()).toEqual(events);
    } finally {
      await again.stop();
    }
  });

  it('two replicas seeding an empty database at once store everything exactly once', async () => {
    const db = `${stack.env.DB_PREFIX}_catalog_race`;
    const [a, b] = await Promise.all([startCatalog(envFor(db), true), startCatalog(envFor(db), true)]);
    try {
      expect(await counts(a.deps)).toEqual(await counts(catalogDeps(stack)));
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('CATALOG_SEED=off starts with an empty catalog', async () => {
    const empty = await startCatalog(envFor(`${stack.env.DB_PREFIX}_catalog_empty`, { CATALOG_SEED: 'off' }), true);
    try {
      expect(await counts(empty.deps)).toEqual({ markets: 0, countries: 0, offers: 0, cards: 0, meters: 0 });
    } finally {
      await empty.stop();
    }
  });
});
