import { event, type PartnerOfferChargeType, type PartnerOfferFulfilment } from '@csp/events';
import { badInput, boundedDecimal, BOUNDS, currencyCode, newId, notFound, paginate, type ConnectionShape, type AggregateLocks, type Clock } from '@csp/kernel';
import Decimal from 'decimal.js';
import type { Model } from 'mongoose';
import type { OfferDoc } from '../offers/offer.model';
import type { CatalogPartnerDoc, PartnerOfferDoc, PartnerOfferPriceDoc } from './partner-offer.model';

export interface PartnerOfferDefinition {
  name: string;
  description?: string | null;
  chargeType: PartnerOfferChargeType;
  fulfilment: PartnerOfferFulfilment;
  unitPrice: { amount: string; currency: string };
  attachesToOfferId?: string | null;
}

const CHARGE_TYPES = new Set(['MONTHLY', 'ONE_TIME']);
const FULFILMENTS = new Set(['MANUAL', 'AUTOMATIC']);

/**
 * Partner offers: published, repriced and retired by their own partner only. Another partner's
 * offer id answers NOT_FOUND. Every change writes its event in the same single-document write.
 */
export class PartnerOfferService {
  constructor(
    private readonly clock: Clock,
    private readonly locks: AggregateLocks,
    readonly offers: Model<PartnerOfferDoc>,
    readonly partners: Model<CatalogPartnerDoc>,
    private readonly vendorOffers: Model<OfferDoc>,
  ) {}

  async publish(publisherId: string, input: PartnerOfferDefinition): Promise<PartnerOfferDoc> {
    const partner = await this.partner(publisherId);
    const name = input.name.trim();
    if (!name || name.length > 200) throw badInput('A partner offer needs a name of 1 to 200 characters.', 'name');
    const description = input.description?.trim() || null;
    if (description && description.length > 2000) throw badInput('description is at most 2000 characters.', 'description');
    if (!CHARGE_TYPES.has(input.chargeType)) throw badInput(`Unknown charge type ${input.chargeType}.`, 'chargeType');
    if (!FULFILMENTS.has(input.fulfilment)) throw badInput(`Unknown fulfilment ${input.fulfilment}.`, 'fulfilment');
    const attachesToOfferId = input.attachesToOfferId?.trim() || null;
    if (attachesToOfferId && !(await this.vendorOffers.exists({ _id: attachesToOfferId }))) {
      throw badInput(`attachesToOfferId ${attachesToOfferId} is not a vendor offer; an add-on attaches to one of the vendor's offers.`, 'attachesToOfferId');
    }
    const now = this.clock.now();
    const price = this.price(partner, input.unitPrice, now);
    const id = newId('pof');
    const doc: PartnerOfferDoc = {
      _id: id,
      publisherId,
      name,
      description,
      chargeType: input.chargeType,
      fulfilment: input.fulfilment,
      attachesToOfferId,
      prices: [price],
      status: 'ACTIVE',
      retiredAt: null,
      publishedAt: now,
      outbox: [],
    };
    doc.outbox.push(
      event(
        'partnerOffer.published',
        {
          offerId: id,
          publisherId,
          name,
          ...(description ? { description } : {}),
          chargeType: doc.chargeType,
          fulfilment: doc.fulfilment,
          ...(attachesToOfferId ? { attachesToOfferId } : {}),
          price: priceFact(price),
        },
        this.clock,
      ),
    );
    await this.offers.create(doc);
    return doc;
  }

  /**
   * A new unit price from `effectiveFrom` (default now). Never retroactive: a date in the past
   * is refused, so every day already accrued keeps the price it had.
   */
  async changePrice(publisherId: string, offerId: string, unitPrice: { amount: string; currency: string }, effectiveFrom?: Date | null): Promise<PartnerOfferDoc> {
    const current = await this.own(publisherId, offerId);
    if (current.status === 'RETIRED') throw badInput(`Partner offer ${offerId} is retired; its price no longer changes.`, 'offerId');
    const now = this.clock.now();
    const from = effectiveFrom ?? now;
    if (Number.isNaN(from.getTime())) throw badInput('effectiveFrom is not a date.', 'effectiveFrom');
    if (from.getTime() < now.getTime()) {
      throw badInput(`A price applies from now or a later date, never backwards; ${from.toISOString()} is before now (${now.toISOString()}).`, 'effectiveFrom');
    }
    const price = this.price(await this.partner(publisherId), unitPrice, from);
    return this.locks.hold(this.offers.collection.name, offerId, async () => {
      const doc = (await this.offers.findById(offerId).lean<PartnerOfferDoc>())!;
      const ev = event('partnerOffer.priceChanged', { offerId, publisherId, price: priceFact(price) }, this.clock);
      await this.offers.updateOne({ _id: offerId }, { $push: { prices: price, outbox: ev } });
      return { ...doc, prices: [...doc.prices, price] };
    });
  }

  /** No new orders from now on; existing subscriptions run on. Retiring twice changes nothing. */
  async retire(publisherId: string, offerId: string): Promise<PartnerOfferDoc> {
    await this.own(publisherId, offerId);
    return this.locks.hold(this.offers.collection.name, offerId, async () => {
      const doc = (await this.offers.findById(offerId).lean<PartnerOfferDoc>())!;
      if (doc.status === 'RETIRED') return doc;
      const at = this.clock.now();
      const ev = event('partnerOffer.retired', { offerId, publisherId, at: at.toISOString() }, this.clock);
      await this.offers.updateOne({ _id: offerId }, { $set: { status: 'RETIRED', retiredAt: at }, $push: { outbox: ev } });
      return { ...doc, status: 'RETIRED', retiredAt: at };
    });
  }

  /** The partner's own offers, retired ones too, paged by id. */
  list(publisherId: string, page: { first?: number | null; after?: string | null }): Promise<ConnectionShape<PartnerOfferDoc>> {
    return paginate(this.offers, { publisherId }, page);
  }

  /** One of the partner's own offers; another partner's (or an unknown) id is NOT_FOUND. */
  async own(publisherId: string, offerId: string): Promise<PartnerOfferDoc> {
    const doc = await this.offers.findById(offerId, { outbox: 0 }).lean<PartnerOfferDoc>();
    if (!doc || doc.publisherId !== publisherId) throw notFound('Partner offer', offerId);
    return doc;
  }

  private async partner(partnerId: string): Promise<CatalogPartnerDoc> {
    const p = await this.partners.findById(partnerId).lean<CatalogPartnerDoc>();
    if (!p) throw badInput(`Partner ${partnerId} is not known to the catalog yet; try again shortly.`, 'publisher');
    return p;
  }

  /** A non-negative exact decimal in the partner's own currency. */
  private price(partner: CatalogPartnerDoc, given: { amount: string; currency: string }, effectiveFrom: Date): PartnerOfferPriceDoc {
    const currency = currencyCode(given.currency, 'unitPrice.currency');
    if (currency !== partner.currency) {
      throw badInput(`Partner offers are priced in the partner's currency (${partner.currency}); got ${currency}.`, 'unitPrice.currency');
    }
    const value = boundedDecimal(given.amount, 'unitPrice.amount', BOUNDS.unitPrice);
    const d = new Decimal(value);
    if (d.decimalPlaces() > 6) throw badInput('A unit price has at most 6 decimal places.', 'unitPrice.amount');
    return { unitPrice: value, currency, effectiveFrom };
  }
}

const priceFact = (p: PartnerOfferPriceDoc) => ({ unitPrice: p.unitPrice, currency: p.currency, effectiveFrom: p.effectiveFrom.toISOString() });
