import type { EventMap } from '@csp/events';
import { insertOnce, type Envelope, type Projector } from '@csp/kernel';
import type { Model } from 'mongoose';
import type { BillPartnerOfferDoc, BillPartnerOfferPriceDoc } from './partner-offer.model';

/** Partner offers and their price history, fed by the catalog's events (each idempotent). */
export function partnerOfferHandlers(m: { partnerOffers: Model<BillPartnerOfferDoc>; partnerOfferPrices: Model<BillPartnerOfferPriceDoc> }, project: Projector) {
  const price = async (offerId: string, eventId: string, p: EventMap['partnerOffer.published']['price']) => {
    await insertOnce(m.partnerOfferPrices, { _id: `${offerId}|${eventId}`, offerId, unitPrice: p.unitPrice, currency: p.currency, effectiveFrom: new Date(p.effectiveFrom) });
  };
  return {
    'partnerOffer.published': async (ev: Envelope<EventMap['partnerOffer.published']>) => {
      const o = ev.payload;
      await project.apply(m.partnerOffers, o.offerId, ev, { $set: { publisherId: o.publisherId, name: o.name, chargeType: o.chargeType } });
      await price(o.offerId, ev.id, o.price);
    },
    'partnerOffer.priceChanged': (ev: Envelope<EventMap['partnerOffer.priceChanged']>) => price(ev.payload.offerId, ev.id, ev.payload.price),
  };
}
