import type { EventMap } from '@csp/events';
import type { Envelope, Projector } from '@csp/kernel';
import type { Model } from 'mongoose';
import type { MarketDoc } from './market.model';

/** Consumes catalog's market facts (queue events-identity); idempotent and order-safe. */
export function marketHandlers(markets: Model<MarketDoc>, project: Projector) {
  return {
    'market.upserted': async (ev: Envelope<EventMap['market.upserted']>) => {
      const m = ev.payload;
      await project.apply(markets, m.code, ev, { $set: { name: m.name, currency: m.currency, countries: m.countries.map((c) => c.toUpperCase()) } });
    },
  };
}
