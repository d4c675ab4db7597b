import type { MarketSnapshot } from '@csp/events';
import Decimal from 'decimal.js';

/**
 * The vendor's markets. `DE` mirrors the CSP program for Microsoft Cloud Germany (a market of
 * its own, one country); the other European countries are one EUR market.
 */
export const SEED_MARKETS: MarketSnapshot[] = [
  { code: 'DE', name: 'Germany (Microsoft Cloud Deutschland)', currency: 'EUR', countries: ['DE'] },
  {
    code: 'NORDIC',
    name: 'Nordics and EU',
    currency: 'EUR',
    countries: ['AT', 'BE', 'DK', 'ES', 'FI', 'FR', 'IE', 'IS', 'IT', 'LU', 'NL', 'NO', 'PT', 'SE'],
  },
  { code: 'UK', name: 'United Kingdom', currency: 'GBP', countries: ['GB'] },
  { code: 'US', name: 'United States', currency: 'USD', countries: ['PR', 'US'] },
];

/** Seed prices are set in USD and converted at list-price factors per market (exact decimals). */
export const PRICE_FACTOR: Record<string, Decimal> = {
  DE: new Decimal('0.94'),
  NORDIC: new Decimal('0.92'),
  UK: new Decimal('0.80'),
  US: new Decimal('1'),
};

/** Seed start of availability and of the first rate cards: far enough back for months of demo usage. */
export const SEED_EFFECTIVE_FROM = new Date('2026-01-01T00:00:00.000Z');
