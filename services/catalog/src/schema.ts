import { buildSubgraph } from '@csp/kernel';
import type { GraphQLSchema } from 'graphql';
import type { CatalogContext } from './context';
import { MarketResolver } from './markets/market.resolver';
import { OfferResolver } from './offers/offer.resolver';
import { partnerOfferAsOffer } from './offers/offer.type';
import { PartnerOfferResolver } from './partner-offers/partner-offer.resolver';
import { toPartnerOffer } from './partner-offers/partner-offer.type';
import { RateCardResolver } from './rate-cards/rate-card.resolver';
import { Meter } from './rate-cards/rate-card.type';

/** The catalog subgraph schema; pure (no stores), so composition can print it offline. */
export function buildCatalogSchema(): Promise<GraphQLSchema> {
  return buildSubgraph(
    { resolvers: [MarketResolver, OfferResolver, RateCardResolver, PartnerOfferResolver], orphanedTypes: [Meter] },
    {
      Market: { __resolveReference: (ref: { code: string }, ctx: CatalogContext) => ctx.loaders.market.load(ref.code) },
      // A partner offer's subscription names its partner offer as its offer (reached only from that subscription).
      Offer: {
        __resolveReference: async (ref: { id: string }, ctx: CatalogContext) => {
          if (!ref.id.startsWith('pof_')) return ctx.loaders.offer.load(ref.id);
          const doc = await ctx.loaders.partnerOffer.load(ref.id);
          return doc && partnerOfferAsOffer(doc);
        },
      },
      PartnerOffer: {
        __resolveReference: async (ref: { id: string }, ctx: CatalogContext) => {
          const doc = await ctx.loaders.partnerOffer.load(ref.id);
          return doc && toPartnerOffer(doc, ctx.deps.clock.now());
        },
      },
      Meter: { __resolveReference: (ref: { id: string }, ctx: CatalogContext) => ctx.loaders.meter.load(ref.id) },
    },
  );
}
