import type { EventMap } from '@csp/events';
import { isDuplicateKey, type Envelope, type Handler } from '@csp/kernel';
import type { Model } from 'mongoose';
import type { BillPartnerOfferDoc, BillPartnerOfferPriceDoc } from './partner-offer.model';

/** Partner offers and their price history, fed by the catalog's events (each idempotent). */
export function partnerOfferHandlers(m: { partnerOffers: Model<BillPartnerOfferDoc>; partnerOfferPrices: Model<BillPartnerOfferPriceDoc> }): Record<string, Handler> {
  const price = async (offerId: string, eventId: string, p: EventMap['partnerOffer.published']['price']) => {
    await m.partnerOfferPrices
      .create({ _id: `${offerId}|${eventId}`, offerId, unitPrice: p.unitPrice, currency: p.currency, effectiveFrom: new Date(p.effectiveFrom) })
      .catch((err) => {
        if (!isDuplicateKey(err)) throw err;
      });
  };
  return {
    'partnerOffer.published': async (ev: Envelope<EventMap['partnerOffer.published']>) => {
      const o = ev.payload;
      await m.partnerOffers.updateOne({ _id: o.offerId }, { $set: { publisherId: o.publisherId, name: o.name, chargeType: o.chargeType } }, { upsert: true });
      await price(o.offerId, ev.id, o.price);
    },
    'partnerOffer.priceChanged': (ev: Envelope<EventMap['partnerOffer.priceChanged']>) => price(ev.payload.offerId, ev.id, ev.payload.price),
  } as Record<string, Handler>;
}
