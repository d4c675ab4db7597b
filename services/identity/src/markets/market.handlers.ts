import type { EventMap } from '@csp/events';
import { isDuplicateKey, type Envelope, type Handler } from '@csp/kernel';
import type { Model } from 'mongoose';
import type { MarketDoc } from './market.model';

/** Consumes catalog's market facts (queue events-identity); idempotent and order-safe. */
export function marketHandlers(markets: Model<MarketDoc>): Record<string, Handler> {
  return {
    'market.upserted': async (ev: Envelope<EventMap['market.upserted']>) => {
      const m = ev.payload;
      const at = new Date(ev.occurredAt);
      try {
        // Only a fact at least as new as the stored one applies; the losing upsert of a race hits _id.
        await markets.updateOne(
          { _id: m.code, $or: [{ at: { $lte: at } }, { at: null }] } as never,
          { $set: { name: m.name, currency: m.currency, countries: m.countries.map((c) => c.toUpperCase()), at } },
          { upsert: true },
        );
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    },
  };
}
