import { createHash } from 'node:crypto';
import { event } from '@csp/events';
import { badInput, conflict, crashPoint, isDuplicateKey, newId, notFound, type Caller, type Clock } from '@csp/kernel';
import type { Queue } from 'bullmq';
import type { Model } from 'mongoose';
import { enqueueProvisioning, provisionJobId, type ProvisionJob } from '../provisioning/provisioning.queue';
import { type AvailabilityFact, type CustomerFact, type OfferFact, type PartnerFact, type ReadModels } from '../readmodel/readmodel.models';
import { factsOf } from '../subscriptions/facts';
import { normalizeName } from '../subscriptions/lifecycle.service';
import type { SubscriptionDoc } from '../subscriptions/subscription.model';
import { isPartnerOfferId, loadPartnerOffers, type PartnerOfferView } from '../partner-offers/partner-offer-book';
import type { OrderDoc } from './order.model';

export interface PlaceOrderCommand {
  customerId: string;
  idempotencyKey: string;
  lineItems: Array<{ offerId: string; quantity: number; friendlyName?: string | null }>;
}

export interface SaleParties {
  customer: CustomerFact;
  /** The partner placing the order. */
  orderer: PartnerFact;
  /** Billing partner of record. */
  partner: PartnerFact;
  resellerId?: string;
  market: string;
}

/** Who sells to the customer: the reseller of a tier-2 sale, else the partner of record. */
export const sellerOf = (p: SaleParties) => p.resellerId ?? p.partner._id;

/** What an order's lines name: vendor offers and the orderer's own partner offers. */
interface LineOffers {
  vendor: Map<string, OfferFact & { availability?: AvailabilityFact['availability'] }>;
  partner: Map<string, PartnerOfferView>;
}

/** Only the seller's own partner offers: a distributor never sells its reseller's, nor a rival its rival's. */
function sellable(offers: LineOffers, parties: SaleParties): LineOffers {
  const mine = new Map([...offers.partner].filter(([, o]) => o.publisherId === parties.orderer._id && sellerOf(parties) === parties.orderer._id));
  return { vendor: offers.vendor, partner: mine };
}

const MAX_PARTNER_UNITS = 1_000_000;

/**
 * Places orders. The claim is the insert of the order under the unique (partnerId,
 * idempotencyKey) index: whoever inserts first owns the key; everyone else reads that order
 * back (same body) or gets CONFLICT (another body). Validation happens before the claim, so a
 * rejected order stores nothing.
 */
export class OrderService {
  constructor(
    private readonly orders: Model<OrderDoc>,
    private readonly subscriptions: Model<SubscriptionDoc>,
    private readonly rm: ReadModels,
    private readonly queue: Queue<ProvisionJob>,
    private readonly clock: Clock,
    private readonly provisioning: { attempts: number; backoffMs: number },
  ) {}

  async place(caller: Caller & { partnerId: string }, input: PlaceOrderCommand): Promise<OrderDoc> {
    const key = input.idempotencyKey.trim();
    if (!key || key.length > 200) throw badInput('idempotencyKey must be 1 to 200 characters.', 'idempotencyKey');
    if (!input.lineItems.length) throw badInput('An order needs at least one line item.', 'lineItems');
    if (input.lineItems.length > 50) throw badInput('An order has at most 50 line items.', 'lineItems');
    const lines = input.lineItems.map((l) => ({ offerId: l.offerId, quantity: l.quantity, friendlyName: normalizeName(l.friendlyName) }));
    const inputHash = createHash('sha256').update(JSON.stringify({ customerId: input.customerId, lines })).digest('hex');

    // Who sells and what the lines name are read side by side with the look for a replay (a new
    // order does not wait for one after the other); a replay never re-validates (their answer,
    // even an error, is dropped): the order stands as placed.
    const lookups = Promise.all([this.parties(caller.partnerId, input.customerId), this.fetchOffers(lines.map((l) => l.offerId))]);
    lookups.catch(() => undefined);
    const existing = await this.orders.findOne({ partnerId: caller.partnerId, idempotencyKey: key }).lean<OrderDoc>();
    if (existing) return this.replay(existing, inputHash);

    const [parties, fetched] = await lookups;
    const offers = this.validateLines(parties, lines, sellable(fetched, parties));
    const subscriptionIds = lines.map(() => newId('sub'));
    const attachedTo = await this.validateAddOns(parties, lines, offers, subscriptionIds);

    const order: OrderDoc = {
      _id: newId('ord'),
      partnerId: caller.partnerId,
      idempotencyKey: key,
      inputHash,
      customerId: input.customerId,
      placedBy: caller.userId,
      createdAt: this.clock.now(),
      lineItems: lines.map((l, i) => ({ ...l, subscriptionId: subscriptionIds[i], ...(attachedTo[i] ? { attachedToSubscriptionId: attachedTo[i] } : {}) })),
      materialized: false,
    };
    try {
      await this.orders.create(order);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const winner = await this.orders.findOne({ partnerId: caller.partnerId, idempotencyKey: key }).lean<OrderDoc>();
      if (!winner) throw err;
      return this.replay(winner, inputHash);
    }
    crashPoint('order.claimed');
    await this.materialize(order, parties, offers, caller.userId);
    return order;
  }

  private async replay(order: OrderDoc, inputHash: string): Promise<OrderDoc> {
    if (order.inputHash !== inputHash) {
      throw conflict(`idempotencyKey ${order.idempotencyKey} was already used for order ${order._id} with a different body.`);
    }
    // The first request may have died between the claim and the subscriptions: finish its work.
    if (!order.materialized) await this.finish(order);
    return order;
  }

  /** Creates what an interrupted order still lacks; false when its customer or offers are gone. */
  private async finish(order: OrderDoc): Promise<boolean> {
    const parties = await this.parties(order.partnerId, order.customerId).catch(() => undefined);
    const offers = parties && sellable(await this.fetchOffers(order.lineItems.map((l) => l.offerId)), parties);
    if (!parties || !offers) return false;
    await this.materialize(order, parties, offers, order.placedBy);
    return true;
  }

  /**
   * Finishes, with nobody asking, the work a dead request or a lost queue left behind: orders
   * claimed before `before` whose subscriptions were never created, and subscriptions still
   * PROVISIONING whose job is gone (Redis flushed or replaced). Every step is idempotent (fixed
   * ids), so every replica may sweep and a sweep may race the request it rescues.
   */
  async sweep(before: Date, limit = 50): Promise<{ orders: number; jobs: number }> {
    const stuck = await this.orders.find({ materialized: false, createdAt: { $lte: before } }).sort({ createdAt: 1 }).limit(limit).lean<OrderDoc[]>();
    let orders = 0;
    for (const o of stuck) if (await this.finish(o)) orders++;
    const provisioning = await this.subscriptions.find({ status: 'PROVISIONING', createdAt: { $lte: before } }, { _id: 1 }).limit(limit).lean<Array<{ _id: string }>>();
    const lost: string[] = [];
    for (const s of provisioning) if (!(await this.queue.getJob(provisionJobId(s._id)))) lost.push(s._id);
    if (lost.length) await enqueueProvisioning(this.queue, lost, this.provisioning);
    return { orders, jobs: lost.length };
  }

  /**
   * Subscriptions and their provisioning jobs; every step is idempotent (fixed ids). A partner
   * offer never reaches the vendor's cloud: AUTOMATIC goes through the provisioning job all the
   * same (it turns ACTIVE there, once the partner's OWNER grant is in force), MANUAL waits in
   * PENDING_FULFILMENT; its partner is its partner of record (a reseller's own offer is billed by
   * the reseller, never through its distributor).
   */
  private async materialize(order: OrderDoc, parties: SaleParties, offers: LineOffers, actor: string): Promise<void> {
    const at = this.clock.now();
    const docs: SubscriptionDoc[] = order.lineItems.map((l) => {
      const partnerOffer = offers.partner.get(l.offerId);
      const base = {
        _id: l.subscriptionId,
        orderId: order._id,
        customerId: parties.customer._id,
        offerId: l.offerId,
        market: parties.market,
        quantity: l.quantity,
        friendlyName: l.friendlyName,
        createdAt: at,
        updatedAt: at,
        services: [],
        outbox: [],
      };
      if (partnerOffer) {
        const automatic = partnerOffer.fulfilment === 'AUTOMATIC';
        const status = automatic ? 'PROVISIONING' : 'PENDING_FULFILMENT';
        const doc: SubscriptionDoc = {
          ...base,
          partnerId: parties.orderer._id,
          billingType: 'PARTNER',
          partnerChargeType: partnerOffer.chargeType,
          fulfilment: partnerOffer.fulfilment,
          ...(l.attachedToSubscriptionId ? { attachedToSubscriptionId: l.attachedToSubscriptionId } : {}),
          minQuantity: 1,
          maxQuantity: partnerOffer.chargeType === 'MONTHLY' ? MAX_PARTNER_UNITS : l.quantity,
          adminAgentsGroupId: parties.orderer.adminAgentsGroupId!,
          status,
          history: [{ at, status, actor, reason: `ordered in ${order._id}${automatic ? '; to be fulfilled automatically' : '; waiting for the partner to fulfil it'}` }],
        };
        doc.outbox = [event('subscription.created', { ...factsOf(doc, at), adminAgentsGroupId: doc.adminAgentsGroupId }, this.clock)];
        return doc;
      }
      const offer = offers.vendor.get(l.offerId)!;
      const doc: SubscriptionDoc = {
        ...base,
        partnerId: parties.partner._id,
        ...(parties.resellerId ? { resellerId: parties.resellerId } : {}),
        billingType: offer.billingType!,
        minQuantity: offer.minQuantity ?? 1,
        maxQuantity: offer.maxQuantity ?? 1,
        adminAgentsGroupId: parties.partner.adminAgentsGroupId!,
        status: 'PROVISIONING',
        history: [{ at, status: 'PROVISIONING', actor, reason: `ordered in ${order._id}` }],
      };
      doc.outbox = [event('subscription.created', { ...factsOf(doc, at), adminAgentsGroupId: doc.adminAgentsGroupId }, this.clock)];
      return doc;
    });
    try {
      await this.subscriptions.insertMany(docs, { ordered: false });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    crashPoint('order.subscriptions-written');
    const provision = docs.filter((d) => d.status === 'PROVISIONING').map((d) => d._id);
    if (provision.length) await enqueueProvisioning(this.queue, provision, this.provisioning);
    crashPoint('order.jobs-enqueued');
    await this.orders.updateOne({ _id: order._id }, { $set: { materialized: true } });
  }

  /**
   * Who sells and who bills. The ordering partner needs an active relationship with the
   * customer — or is the distributor of a reseller that has one. A reseller's sales are billed
   * to its distributor; the reseller stays on the subscription. Anything else: NOT_FOUND.
   */
  async parties(partnerId: string, customerId: string): Promise<SaleParties> {
    const [customer, orderer, rels] = await Promise.all([
      this.rm.customers.findById(customerId).lean<CustomerFact>(),
      this.rm.partners.findById(partnerId).lean<PartnerFact>(),
      this.rm.relationships.find({ customerId, status: 'ACTIVE' }).lean(),
    ]);
    if (!customer || !orderer) throw notFound('Customer', customerId);
    const related = new Set(rels.map((r) => r.partnerId));
    let billing: PartnerFact | null = null;
    let resellerId: string | undefined;

    if (related.has(partnerId) && orderer.tier !== 'INDIRECT_RESELLER') {
      billing = orderer;
    } else if (related.has(partnerId)) {
      resellerId = partnerId;
      const links = await this.rm.resellerLinks.find({ resellerId: partnerId }).lean();
      const distributorId =
        customer.partnerId === partnerId && customer.distributorId ? customer.distributorId : links.length === 1 ? links[0].distributorId : undefined;
      if (!distributorId) {
        throw badInput(`Reseller ${partnerId} has ${links.length ? 'several distributors and none is named for this customer' : 'no linked distributor'} to bill this order.`, 'customerId');
      }
      billing = await this.rm.partners.findById(distributorId).lean<PartnerFact>();
      if (!billing) throw badInput(`Distributor ${distributorId} is not known yet; try again shortly.`, 'customerId');
    } else if (orderer.tier === 'INDIRECT_PROVIDER') {
      // A distributor orders for a customer of one of its linked resellers.
      const candidates = [...related].filter((id) => id !== partnerId);
      const links = candidates.length ? await this.rm.resellerLinks.find({ resellerId: { $in: candidates }, distributorId: partnerId }).lean() : [];
      const resellerIds = links.map((l) => l.resellerId).sort();
      const chosen = resellerIds.find((r) => r === customer.partnerId) ?? resellerIds[0];
      if (!chosen) throw notFound('Customer', customerId);
      billing = orderer;
      resellerId = chosen;
    } else {
      throw notFound('Customer', customerId);
    }
    if (!billing.adminAgentsGroupId) throw badInput(`Partner ${billing._id} is not fully onboarded yet; try again shortly.`, 'customerId');
    const market = await this.rm.markets.findOne({ countries: customer.country }).lean();
    if (!market) throw badInput(`No market sells to ${customer.country} (customer ${customerId}).`, 'customerId');
    // A partner sells only to countries of its own market.
    if (billing.market && billing.market !== market._id) {
      throw badInput(`Partner ${billing._id} sells in market ${billing.market}; customer ${customerId} is in ${customer.country} (market ${market._id}).`, 'customerId');
    }
    return { customer, orderer, partner: billing, resellerId, market: market._id };
  }

  /** The lines' vendor offers (with where they are available) and partner offers, whoever sells them. */
  private async fetchOffers(ids: string[]): Promise<LineOffers> {
    const unique = [...new Set(ids)];
    const vendorIds = unique.filter((id) => !isPartnerOfferId(id));
    const partnerIds = unique.filter(isPartnerOfferId);
    const [docs, avail, partner] = await Promise.all([
      vendorIds.length ? this.rm.offers.find({ _id: { $in: vendorIds } }).lean<OfferFact[]>() : [],
      vendorIds.length ? this.rm.availability.find({ _id: { $in: vendorIds } }).lean<AvailabilityFact[]>() : [],
      partnerIds.length ? loadPartnerOffers(this.rm, { ids: partnerIds }) : new Map<string, PartnerOfferView>(),
    ]);
    const where = new Map(avail.map((a) => [a._id, a.availability]));
    return { vendor: new Map(docs.map((d) => [d._id, { ...d, availability: where.get(d._id) }])), partner };
  }

  /** Every line: available in the customer's country's market today, quantity within bounds. */
  private validateLines(parties: SaleParties, lines: PlaceOrderCommand['lineItems'], offers: LineOffers): LineOffers {
    const now = this.clock.now();
    lines.forEach((l, i) => {
      const field = `lineItems.${i}`;
      if (isPartnerOfferId(l.offerId)) {
        // Unknown and another partner's look the same (no existence oracle).
        const own = offers.partner.get(l.offerId);
        if (!own) throw notFound('Offer', l.offerId);
        if (own.retiredAt && own.retiredAt <= now) throw badInput(`Partner offer ${l.offerId} is retired: it takes no new orders.`, `${field}.offerId`);
        if (!Number.isInteger(l.quantity) || l.quantity < 1 || l.quantity > MAX_PARTNER_UNITS) {
          throw badInput(`quantity for offer ${l.offerId} must be a whole number from 1 to ${MAX_PARTNER_UNITS}; got ${l.quantity}.`, `${field}.quantity`);
        }
        return;
      }
      const offer = offers.vendor.get(l.offerId);
      const availability = offer?.availability?.find((a) => a.market === parties.market);
      if (!offer || !offer.billingType || !availability || new Date(availability.availableFrom) > now) {
        throw badInput(
          `Offer ${l.offerId} is not available in ${parties.customer.country} (market ${parties.market})${availability ? ` before ${new Date(availability.availableFrom).toISOString()}` : ''}.`,
          `${field}.offerId`,
        );
      }
      if (!Number.isInteger(l.quantity)) throw badInput(`quantity must be a whole number; got ${l.quantity}.`, `${field}.quantity`);
      if (offer.billingType === 'USAGE' && l.quantity !== 1) {
        throw badInput(`Offer ${l.offerId} is billed by usage: its quantity is always 1; got ${l.quantity}.`, `${field}.quantity`);
      }
      const min = offer.minQuantity ?? 1;
      const max = offer.maxQuantity ?? Number.MAX_SAFE_INTEGER;
      if (l.quantity < min || l.quantity > max) {
        throw badInput(`quantity for offer ${l.offerId} must be between ${min} and ${max}; got ${l.quantity}.`, `${field}.quantity`);
      }
    });
    return offers;
  }

  /**
   * An add-on is only sold with a subscription of the vendor offer it attaches to: a line of
   * that offer in the same order, or the customer's live subscription of it that this partner
   * sold. Returns, per line, the base subscription an add-on ends with.
   */
  private async validateAddOns(parties: SaleParties, lines: PlaceOrderCommand['lineItems'], offers: LineOffers, ids: string[]): Promise<Array<string | undefined>> {
    const out: Array<string | undefined> = lines.map(() => undefined);
    for (const [i, l] of lines.entries()) {
      const base = offers.partner.get(l.offerId)?.attachesToOfferId;
      if (!base) continue;
      const inOrder = lines.findIndex((x) => x.offerId === base);
      if (inOrder >= 0) {
        out[i] = ids[inOrder];
        continue;
      }
      const seller = sellerOf(parties);
      const existing = await this.subscriptions
        .findOne(
          { customerId: parties.customer._id, offerId: base, status: { $in: ['PROVISIONING', 'ACTIVE', 'SUSPENDED'] }, $or: [{ partnerId: seller }, { resellerId: seller }] },
          { _id: 1 },
        )
        .sort({ _id: 1 })
        .lean<{ _id: string }>();
      if (!existing) {
        throw badInput(`Offer ${l.offerId} is an add-on of offer ${base}: order it together with ${base}, or for a customer that has a subscription of it.`, `lineItems.${i}.offerId`);
      }
      out[i] = existing._id;
    }
    return out;
  }
}
