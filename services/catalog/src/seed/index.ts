import Decimal from 'decimal.js';
import type { CatalogDeps } from '../deps';
import { plain } from '../shared/decimals';
import { AZURE_METERS } from './azure-meters';
import { PRICE_FACTOR, SEED_EFFECTIVE_FROM, SEED_MARKETS } from './markets';
import { SEED_OFFERS } from './offers';

type SeedDeps = Pick<CatalogDeps, 'marketService' | 'offerService' | 'rateCardService' | 'logger'>;

/**
 * The starting catalog, loaded at every start (CATALOG_SEED=off skips it). Idempotent: markets
 * are upserted (events only on change), offers and rate cards have fixed ids and an existing one
 * is left as it is, so a second start (or two replicas starting together) duplicates nothing.
 */
export async function seedCatalog(deps: SeedDeps): Promise<void> {
  for (const market of SEED_MARKETS) await deps.marketService.upsert(market);

  for (const o of SEED_OFFERS) {
    const markets = o.markets ?? SEED_MARKETS.map((m) => m.code);
    const prices = o.usdPrice ? markets.map((m) => ({ market: m, unitPrice: convert(o.usdPrice!, m, 2) })) : [];
    await deps.offerService.publish(
      { name: o.name, family: o.family, billingType: o.billingType, minQuantity: o.minQuantity, maxQuantity: o.maxQuantity, prices },
      // Back-dated like the rate cards, so months of demo usage before today find their prices.
      { id: o.id, availability: Object.fromEntries(markets.map((m) => [m, SEED_EFFECTIVE_FROM])), publishedAt: SEED_EFFECTIVE_FROM },
    );
  }

  for (const market of SEED_MARKETS) {
    await deps.rateCardService.publish({
      market: market.code,
      effectiveFrom: SEED_EFFECTIVE_FROM,
      meters: AZURE_METERS.map((m) => ({
        id: m.id,
        name: m.name,
        category: m.category,
        unit: m.unit,
        rates: m.usdRates.map(([fromQuantity, usd]) => ({ fromQuantity, price: convert(usd, market.code) })),
      })),
    });
  }
  deps.logger.info({ markets: SEED_MARKETS.length, offers: SEED_OFFERS.length, meters: AZURE_METERS.length }, 'catalog seed in place');
}

/** USD list price → the market's currency: 2 places for seats, 4 significant digits for rates. */
function convert(usd: string, market: string, places?: number): string {
  const v = new Decimal(usd).times(PRICE_FACTOR[market]);
  if (places !== undefined) return plain(v, places);
  return v.isZero() ? '0' : plain(v.toSignificantDigits(4, Decimal.ROUND_HALF_EVEN));
}
