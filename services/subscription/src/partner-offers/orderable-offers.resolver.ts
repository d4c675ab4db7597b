import { authorize, connectionFrom, decodeCursor, Money, pageSize, requirePartnerUser, type ConnectionShape } from '@csp/kernel';
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { SubscriptionContext } from '../context';
import { sellerOf } from '../orders/order.service';
import type { AvailabilityFact, OfferFact } from '../readmodel/readmodel.models';
import { OfferRef, type OrderableOffer } from '../refs/refs.type';
import { loadPartnerOffers, priceAt } from './partner-offer-book';
import { OrderableOfferConnection, PartnerOfferChargeType, PartnerOfferFulfilment, PartnerOfferRef } from './partner-offer.type';

@Resolver()
export class OrderableOffersResolver {
  @Query(() => OrderableOfferConnection, {
    description:
      "What the caller may order for this customer now: the vendor's offers available in the customer's country and, when the caller sells to it, the caller's own partner offers (not retired). Not the caller's customer: NOT_FOUND.",
  })
  async orderableOffers(
    @Arg('customerId', () => ID) customerId: string,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: SubscriptionContext,
  ): Promise<ConnectionShape<OrderableOffer>> {
    authorize(ctx, 'orderableOffers');
    const caller = requirePartnerUser(ctx);
    const size = pageSize(first);
    const afterId = after ? decodeCursor(after) : undefined;
    const { rm } = ctx.deps;
    const parties = await ctx.deps.orders.parties(caller.partnerId, customerId);
    const now = ctx.deps.clock.now();
    // FerretDB v1 has no field-document $elemMatch: match the market, check the date here.
    const avail = await rm.availability.find({ 'availability.market': parties.market }).lean<AvailabilityFact[]>();
    const availableIds = avail.filter((a) => a.availability.some((x) => x.market === parties.market && new Date(x.availableFrom) <= now)).map((a) => a._id);
    const [vendor, partner] = await Promise.all([
      availableIds.length ? rm.offers.find({ _id: { $in: availableIds }, billingType: { $exists: true } }).lean<OfferFact[]>() : [],
      sellerOf(parties) === caller.partnerId ? loadPartnerOffers(rm, { publisherId: caller.partnerId }) : new Map(),
    ]);
    const all: OrderableOffer[] = [
      ...vendor.map((o) => Object.assign(new OfferRef(), { id: o._id, name: o.name ?? o._id })),
      ...[...partner.values()]
        .filter((o) => !o.retiredAt || o.retiredAt > now)
        .flatMap((o) => {
          const price = priceAt(o.prices, now);
          if (!price) return [];
          return [
            Object.assign(new PartnerOfferRef(), {
              id: o._id,
              name: o.name,
              chargeType: o.chargeType as PartnerOfferChargeType,
              fulfilment: o.fulfilment as PartnerOfferFulfilment,
              unitPrice: Money.of(price.unitPrice, price.currency),
            }),
          ];
        }),
    ].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const rest = afterId ? all.filter((o) => o.id > afterId) : all;
    return connectionFrom(rest.slice(0, size), rest.length > size, !!afterId, all.length, (o) => o.id, (o) => o);
  }
}

/** Offer names from this service's copy of the catalog (one batch per request). */
@Resolver(() => OfferRef)
export class OfferRefResolver {
  @FieldResolver(() => String)
  async name(@Root() offer: OfferRef, @Ctx() ctx: SubscriptionContext): Promise<string> {
    return offer.name ?? (await ctx.loaders.offerName.load(offer.id)) ?? offer.id;
  }
}
