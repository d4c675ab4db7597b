import type { EventMap } from '@csp/events';
import { insertOnce, isDuplicateKey, type Envelope, type Logger, type Projector } from '@csp/kernel';
import type { BillingDeps } from '../deps';
import type { FactType } from '../subscriptions/sub-fact.model';
import { MAX_BATCH } from '../usage/ingest';
import { partnerOfferHandlers } from '../partner-offers/partner-offer.handlers';

const ignoreDuplicate = (err: unknown) => {
  if (!isDuplicateKey(err)) throw err;
};

/**
 * Billing's read models, fed only by events (queue `events-billing`). Current state is projected
 * (last writer wins by event order: a late "established" after a "revoked" changes nothing);
 * facts are inserted under a key of their own. A redelivered or reordered event cannot corrupt them.
 */
export function billingHandlers(deps: BillingDeps, logger: Logger, project: Projector) {
  const m = deps.models;
  const fact = (type: FactType) => async (ev: Envelope<EventMap['subscription.created']>) => {
    const p = ev.payload;
    await m.subFacts
      .create({
        _id: ev.id,
        subscriptionId: p.subscriptionId,
        type,
        at: new Date(p.at),
        customerId: p.customerId,
        partnerId: p.partnerId,
        resellerId: p.resellerId,
        offerId: p.offerId,
        billingType: p.billingType,
        quantity: p.quantity,
        market: p.market,
      })
      .catch(ignoreDuplicate);
  };
  return {
    ...partnerOfferHandlers(m, project),
    'partner.onboarded': async (ev: Envelope<EventMap['partner.onboarded']>) => {
      const p = ev.payload;
      await project.apply(m.partners, p.partnerId, ev, { $set: { name: p.name, tier: p.tier, market: p.market, currency: p.currency, country: p.country, ...(p.taxId ? { taxId: p.taxId } : {}) } });
    },
    'reseller.linked': async (ev: Envelope<EventMap['reseller.linked']>) => {
      const { distributorId, resellerId } = ev.payload;
      await insertOnce(m.resellerLinks, { _id: `${distributorId}|${resellerId}`, distributorId, resellerId });
    },
    'customer.created': async (ev: Envelope<EventMap['customer.created']>) => {
      const c = ev.payload;
      await project.apply(m.customers, c.customerId, ev, {
        $set: { companyName: c.companyName, partnerId: c.partnerId, distributorId: c.distributorId, currency: c.currency, country: c.country, ...(c.taxId ? { taxId: c.taxId } : {}) },
      });
    },
    'relationship.established': async (ev: Envelope<EventMap['relationship.established']>) => {
      const { customerId, partnerId } = ev.payload;
      await project.apply(m.relationships, `${customerId}|${partnerId}`, ev, { $set: { active: true } });
    },
    'relationship.revoked': async (ev: Envelope<EventMap['relationship.revoked']>) => {
      const { customerId, partnerId } = ev.payload;
      await project.apply(m.relationships, `${customerId}|${partnerId}`, ev, { $set: { active: false } });
    },
    'offer.published': async (ev: Envelope<EventMap['offer.published']>) => {
      const o = ev.payload;
      await project.apply(m.offers, o.offerId, ev, { $set: { name: o.name, billingType: o.billingType } });
      const effectiveAt = new Date(o.pricesEffectiveFrom ?? ev.occurredAt);
      const prices = o.prices.map((p) => ({ _id: `${o.offerId}|${p.market}|${effectiveAt.toISOString()}`, offerId: o.offerId, market: p.market, currency: p.currency, unitPrice: p.unitPrice, effectiveAt }));
      if (prices.length) await m.offerPrices.collection.insertMany(prices as never[], { ordered: false }).catch(ignoreDuplicate);
    },
    'rateCard.published': async (ev: Envelope<EventMap['rateCard.published']>) => {
      const c = ev.payload;
      const meters = c.meters.map((mt) => ({ id: mt.id, name: mt.name, unit: mt.unit, rates: mt.rates.map((r) => ({ fromQuantity: r.fromQuantity, price: r.price })) }));
      await project.apply(m.rateCards, `${c.market}|${c.effectiveFrom}`, ev, { $set: { market: c.market, currency: c.currency, effectiveFrom: c.effectiveFrom, meters } });
    },
    'subscription.created': fact('created'),
    'subscription.activated': fact('activated'),
    'subscription.quantityChanged': fact('quantityChanged'),
    'subscription.suspended': fact('suspended'),
    'subscription.reactivated': fact('reactivated'),
    'subscription.cancelled': fact('cancelled'),
    'subscription.failed': fact('failed'),
    'usage.reported': async (ev: Envelope<EventMap['usage.reported']>) => {
      // The connector may report more than one batch's worth: ingest in batches.
      const rows = ev.payload.records;
      for (let i = 0; i < rows.length; i += MAX_BATCH) {
        const r = await deps.ingest(rows.slice(i, i + MAX_BATCH));
        if (r.rejected.length) logger.warn({ eventId: ev.id, rejected: r.rejected.slice(0, 20), count: r.rejected.length }, 'reported usage rows rejected');
        // The connector reports only provisioned subscriptions: rows for one billing has not seen
        // activated yet wait for its events — the job retries (good rows are kept, then counted
        // as duplicates); if it never comes, the failed job shows on the jobs dashboard.
        const waiting = r.rejected.filter((x) => x.awaitingFacts).length;
        if (waiting) throw new Error(`${waiting} usage row(s) name subscriptions billing has not seen activated yet; retrying`);
      }
    },
  };
}
