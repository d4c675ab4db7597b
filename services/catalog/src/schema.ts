import { buildSubgraph } from '@csp/kernel';
import type { GraphQLSchema } from 'graphql';
import type { CatalogContext } from './context';
import { MarketResolver } from './markets/market.resolver';
import { OfferResolver } from './offers/offer.resolver';
import { RateCardResolver } from './rate-cards/rate-card.resolver';
import { Meter } from './rate-cards/rate-card.type';

/** The catalog subgraph schema; pure (no stores), so composition can print it offline. */
export function buildCatalogSchema(): Promise<GraphQLSchema> {
  return buildSubgraph(
    { resolvers: [MarketResolver, OfferResolver, RateCardResolver], orphanedTypes: [Meter] },
    {
      Market: { __resolveReference: (ref: { code: string }, ctx: CatalogContext) => ctx.loaders.market.load(ref.code) },
      Offer: { __resolveReference: (ref: { id: string }, ctx: CatalogContext) => ctx.loaders.offer.load(ref.id) },
      Meter: { __resolveReference: (ref: { id: string }, ctx: CatalogContext) => ctx.loaders.meter.load(ref.id) },
    },
  );
}
