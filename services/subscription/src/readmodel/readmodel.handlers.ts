import type { EventMap } from '@csp/events';
import { isDuplicateKey, type Envelope, type Handler } from '@csp/kernel';
import type { Model } from 'mongoose';
import { relationshipId, type ReadModels } from './readmodel.models';

type On<K extends keyof EventMap> = (ev: Envelope<EventMap[K]>) => Promise<void>;

/** Upsert that a concurrent insert of the same id may beat: retry once as a plain update. */
async function upsert(model: Model<any>, id: string, update: object): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    await model.updateOne({ _id: id }, update, { upsert: true });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    await model.updateOne({ _id: id }, update);
  }
}

/** Writes `set` only when `at` is not older than what the document holds (late events lose). */
async function applyIfNewer(model: Model<any>, id: string, atField: string, at: Date, set: object): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    await model.updateOne(
      { _id: id, $or: [{ [atField]: { $exists: false } }, { [atField]: null }, { [atField]: { $lte: at } }] },
      { $set: { ...set, [atField]: at } },
      { upsert: true },
    );
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    // The document exists (a concurrent insert, or a newer fact): update only if not newer.
    await model.updateOne(
      { _id: id, $or: [{ [atField]: { $exists: false } }, { [atField]: null }, { [atField]: { $lte: at } }] },
      { $set: { ...set, [atField]: at } },
    );
  }
}

/** Consumers of identity's and catalog's facts (queue events-subscription). Each is idempotent. */
export function readModelHandlers(rm: ReadModels): Record<string, Handler> {
  const at = (ev: Envelope) => new Date(ev.occurredAt);

  const partnerOnboarded: On<'partner.onboarded'> = async (ev) => {
    const p = ev.payload;
    await upsert(rm.partners, p.partnerId, {
      $set: { name: p.name, tier: p.tier, market: p.market, currency: p.currency, adminAgentsGroupId: p.adminAgentsGroupId },
    });
  };
  const resellerLinked: On<'reseller.linked'> = async (ev) => {
    const { resellerId, distributorId } = ev.payload;
    await upsert(rm.resellerLinks, `${resellerId}:${distributorId}`, { $set: { resellerId, distributorId } });
  };
  const customerCreated: On<'customer.created'> = async (ev) => {
    const c = ev.payload;
    await upsert(rm.customers, c.customerId, {
      $set: {
        companyName: c.companyName,
        country: c.country,
        currency: c.currency,
        partnerId: c.partnerId,
        ...(c.distributorId ? { distributorId: c.distributorId } : {}),
      },
    });
    // Creating a customer establishes the selling partner's relationship; a later revoke wins.
    try {
      await rm.relationships.updateOne(
        { _id: relationshipId(c.partnerId, c.customerId) },
        { $setOnInsert: { partnerId: c.partnerId, customerId: c.customerId, status: 'ACTIVE', at: at(ev) } },
        { upsert: true },
      );
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  };
  const relationship =
    (status: 'ACTIVE' | 'REVOKED'): On<'relationship.established'> =>
    async (ev) => {
      const { partnerId, customerId } = ev.payload;
      await applyIfNewer(rm.relationships, relationshipId(partnerId, customerId), 'at', at(ev), { partnerId, customerId, status });
    };
  const marketUpserted: On<'market.upserted'> = async (ev) => {
    await upsert(rm.markets, ev.payload.code, { $set: { currency: ev.payload.currency, countries: ev.payload.countries } });
  };
  const offerPublished: On<'offer.published'> = async (ev) => {
    const o = ev.payload;
    await upsert(rm.offers, o.offerId, {
      $set: { name: o.name, billingType: o.billingType, minQuantity: o.minQuantity, maxQuantity: o.maxQuantity },
    });
  };
  const availabilityChanged: On<'offer.availabilityChanged'> = async (ev) => {
    const availability = ev.payload.availability.map((a) => ({ market: a.market, availableFrom: new Date(a.availableFrom) }));
    await applyIfNewer(rm.availability, ev.payload.offerId, 'at', at(ev), { availability });
  };
  const rateCardPublished: On<'rateCard.published'> = async (ev) => {
    const { market, meters } = ev.payload;
    if (!meters.length) return;
    await Promise.all(meters.map((m) => upsert(rm.meters, `${market}:${m.id}`, { $set: { market, meterId: m.id, unit: m.unit } })));
  };

  // Partner offers: each event writes its own document (insert or plain upsert), never another's.
  const partnerOfferPublished: On<'partnerOffer.published'> = async (ev) => {
    const o = ev.payload;
    await upsert(rm.partnerOffers, o.offerId, {
      $set: { publisherId: o.publisherId, name: o.name, chargeType: o.chargeType, fulfilment: o.fulfilment, ...(o.attachesToOfferId ? { attachesToOfferId: o.attachesToOfferId } : {}) },
    });
    await insertPrice(o.offerId, ev.id, o.price);
  };
  const insertPrice = async (offerId: string, eventId: string, p: { unitPrice: string; currency: string; effectiveFrom: string }) => {
    await rm.partnerOfferPrices.create({ _id: `${offerId}|${eventId}`, offerId, unitPrice: p.unitPrice, currency: p.currency, effectiveFrom: new Date(p.effectiveFrom) }).catch((err) => {
      if (!isDuplicateKey(err)) throw err;
    });
  };
  const partnerOfferPriceChanged: On<'partnerOffer.priceChanged'> = (ev) => insertPrice(ev.payload.offerId, ev.id, ev.payload.price);
  const partnerOfferRetired: On<'partnerOffer.retired'> = async (ev) => {
    await upsert(rm.partnerOffersRetired, ev.payload.offerId, { $set: { at: new Date(ev.payload.at) } });
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
  } as Record<string, Handler>;
}
