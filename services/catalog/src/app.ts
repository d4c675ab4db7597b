import { projectorFor, startSubgraphService, type Envelope, type RunningSubgraph } from '@csp/kernel';
import { route, routedTo, type EventMap, type HandlerMap } from '@csp/events';
import { catalogProcess, type catalogEnv } from './config';
import type { CatalogContext } from './context';
import { buildDeps, type CatalogDeps } from './deps';
import { catalogLoaders } from './loaders';
import { buildCatalogSchema } from './schema';

/** Starts the catalog subgraph: in its own process (index.ts) or in-process in tests. */
export function startCatalog(env: NodeJS.ProcessEnv = process.env, embedded = false): Promise<RunningSubgraph<CatalogDeps>> {
  return startSubgraphService<CatalogContext, CatalogDeps, typeof catalogEnv>({
    runtime: { ...catalogProcess, env, embedded },
    deps: buildDeps,
    schema: buildCatalogSchema,
    context: (base, deps) => ({ ...base, deps, loaders: catalogLoaders(deps, base.caller) }),
    // Markets, offers and rate cards carry their events in an embedded outbox.
    outboxModels: (deps) => [deps.marketService.markets, deps.offerService.offers, deps.rateCardService.cards, deps.partnerOfferService.offers],
    route,
    // Partners, so that partner offers are published by known partners in their own currency.
    consumes: routedTo('catalog'),
    handlers: (deps, rt) => {
      const project = projectorFor(rt);
      return {
        'partner.onboarded': async (ev: Envelope<EventMap['partner.onboarded']>) => {
          const p = ev.payload;
          await project.apply(deps.partnerOfferService.partners, p.partnerId, ev, { $set: { name: p.name, tier: p.tier, currency: p.currency } });
        },
      } satisfies HandlerMap<'catalog'>;
    },
  });
}
