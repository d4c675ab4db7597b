import type { EventMap } from '@csp/events';
import { insertOnce, type Envelope, type Projector } from '@csp/kernel';
import { relationshipId, type ReadModels } from './readmodel.models';

type On<K extends keyof EventMap> = (ev: Envelope<EventMap[K]>) => Promise<void>;

/** Consumers of identity's and catalog's facts (queue events-subscription). Each is idempotent. */
export function readModelHandlers(rm: ReadModels, project: Projector) {
  const partnerOnboarded: On<'partner.onboarded'> = async (ev) => {
    const p = ev.payload;
    await project.apply(rm.partners, p.partnerId, ev, {
      $set: { name: p.name, tier: p.tier, market: p.market, currency: p.currency, adminAgentsGroupId: p.adminAgentsGroupId },
    });
  };
  const resellerLinked: On<'reseller.linked'> = async (ev) => {
    const { resellerId, distributorId } = ev.payload;
    await insertOnce(rm.resellerLinks, { _id: `${resellerId}:${distributorId}`, resellerId, distributorId });
  };
  const customerCreated: On<'customer.created'> = async (ev) => {
    const c = ev.payload;
    await project.apply(rm.customers, c.customerId, ev, {
      $set: {
        companyName: c.companyName,
        country: c.country,
        currency: c.currency,
        partnerId: c.partnerId,
        ...(c.distributorId ? { distributorId: c.distributorId } : {}),
      },
    });
    // Creating a customer establishes the selling partner's relationship; a later revoke wins.
    await project.apply(rm.relationships, relationshipId(c.partnerId, c.customerId), ev, { $set: { partnerId: c.partnerId, customerId: c.customerId, status: 'ACTIVE' } });
  };
  const relationship =
    (status: 'ACTIVE' | 'REVOKED'): On<'relationship.established'> =>
    async (ev) => {
      const { partnerId, customerId } = ev.payload;
      await project.apply(rm.relationships, relationshipId(partnerId, customerId), ev, { $set: { partnerId, customerId, status } });
    };
  const marketUpserted: On<'market.upserted'> = async (ev) => {
    await project.apply(rm.markets, ev.payload.code, ev, { $set: { currency: ev.payload.currency, countries: ev.payload.countries } });
  };
  const offerPublished: On<'offer.published'> = async (ev) => {
    const o = ev.payload;
    await project.apply(rm.offers, o.offerId, ev, {
      $set: { name: o.name, billingType: o.billingType, minQuantity: o.minQuantity, maxQuantity: o.maxQuantity },
    });
  };
  const availabilityChanged: On<'offer.availabilityChanged'> = async (ev) => {
    const availability = ev.payload.availability.map((a) => ({ market: a.market, availableFrom: new Date(a.availableFrom) }));
    await project.apply(rm.availability, ev.payload.offerId, ev, { $set: { availability } });
  };
  const rateCardPublished: On<'rateCard.published'> = async (ev) => {
    const { market, meters } = ev.payload;
    if (!meters.length) return;
    await Promise.all(meters.map((m) => project.apply(rm.meters, `${market}:${m.id}`, ev, { $set: { market, meterId: m.id, unit: m.unit } })));
  };

  // Partner offers: each event writes its own document (insert or plain upsert), never another's.
  const partnerOfferPublished: On<'partnerOffer.published'> = async (ev) => {
    const o = ev.payload;
    await project.apply(rm.partnerOffers, o.offerId, ev, {
      $set: { publisherId: o.publisherId, name: o.name, chargeType: o.chargeType, fulfilment: o.fulfilment, ...(o.attachesToOfferId ? { attachesToOfferId: o.attachesToOfferId } : {}) },
    });
    await insertPrice(o.offerId, ev.id, o.price);
  };
  const insertPrice = async (offerId: string, eventId: string, p: { unitPrice: string; currency: string; effectiveFrom: string }) => {
    await insertOnce(rm.partnerOfferPrices, { _id: `${offerId}|${eventId}`, offerId, unitPrice: p.unitPrice, currency: p.currency, effectiveFrom: new Date(p.effectiveFrom) });
  };
  const partnerOfferPriceChanged: On<'partnerOffer.priceChanged'> = (ev) => insertPrice(ev.payload.offerId, ev.id, ev.payload.price);
  const partnerOfferRetired: On<'partnerOffer.retired'> = async (ev) => {
    await insertOnce(rm.partnerOffersRetired, { _id: ev.payload.offerId, at: new Date(ev.payload.at) });
  };

  return {
    'partnerOffer.published': partnerOfferPublished,
    'partnerOffer.priceChanged': partnerOfferPriceChanged,
    'partnerOffer.retired': partnerOfferRetired,
    'partner.onboarded': partnerOnboarded,
    'reseller.linked': resellerLinked,
    'customer.created': customerCreated,
    'relationship.established': relationship('ACTIVE'),
    'relationship.revoked': relationship('REVOKED'),
    'market.upserted': marketUpserted,
    'offer.published': offerPublished,
    'offer.availabilityChanged': availabilityChanged,
    'rateCard.published': rateCardPublished,
  };
}
