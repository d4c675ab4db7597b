import { authorize, Connection, MoneyInput, PageArgs, requirePartnerUser, type ConnectionShape } from '@csp/kernel';
import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { CatalogContext } from '../context';
import { PartnerOffer, PartnerOfferPayload, PublishPartnerOfferInput, toPartnerOffer } from './partner-offer.type';
import type { PartnerOfferDoc } from './partner-offer.model';

const PartnerOfferConnection = Connection(PartnerOffer);

const payload = (ctx: CatalogContext, doc: PartnerOfferDoc) => Object.assign(new PartnerOfferPayload(), { offer: toPartnerOffer(doc, ctx.deps.clock.now()) });

/** A partner's own offers: only the publishing partner reads or changes them (others: NOT_FOUND). */
@Resolver(() => PartnerOffer)
export class PartnerOfferResolver {
  @Mutation(() => PartnerOfferPayload, { description: "A partner publishes an offer of its own (managed service, setup fee, third-party app), priced in its currency." })
  async publishPartnerOffer(@Arg('input') input: PublishPartnerOfferInput, @Ctx() ctx: CatalogContext): Promise<PartnerOfferPayload> {
    authorize(ctx, 'publishPartnerOffer');
    const caller = requirePartnerUser(ctx);
    return payload(ctx, await ctx.deps.partnerOfferService.publish(caller.partnerId, input));
  }

  @Mutation(() => PartnerOfferPayload, {
    description: 'A new unit price from effectiveFrom (default now; never in the past). Days before it keep their price. Another partner’s offer: NOT_FOUND.',
  })
  async changePartnerOfferPrice(
    @Arg('offerId', () => ID) offerId: string,
    @Arg('unitPrice', () => MoneyInput) unitPrice: MoneyInput,
    @Arg('effectiveFrom', () => Date, { nullable: true }) effectiveFrom: Date | null,
    @Ctx() ctx: CatalogContext,
  ): Promise<PartnerOfferPayload> {
    authorize(ctx, 'changePartnerOfferPrice');
    const caller = requirePartnerUser(ctx);
    return payload(ctx, await ctx.deps.partnerOfferService.changePrice(caller.partnerId, offerId, unitPrice, effectiveFrom));
  }

  @Mutation(() => PartnerOfferPayload, { description: 'No new orders from now on; existing subscriptions run on. Another partner’s offer: NOT_FOUND.' })
  async retirePartnerOffer(@Arg('offerId', () => ID) offerId: string, @Ctx() ctx: CatalogContext): Promise<PartnerOfferPayload> {
    authorize(ctx, 'retirePartnerOffer');
    const caller = requirePartnerUser(ctx);
    return payload(ctx, await ctx.deps.partnerOfferService.retire(caller.partnerId, offerId));
  }

  @Query(() => PartnerOfferConnection, { description: "The caller's own partner offers (retired ones too)." })
  async partnerOffers(@Args() page: PageArgs, @Ctx() ctx: CatalogContext): Promise<ConnectionShape<PartnerOffer>> {
    authorize(ctx, 'partnerOffers');
    const caller = requirePartnerUser(ctx);
    const now = ctx.deps.clock.now();
    const p = await ctx.deps.partnerOfferService.list(caller.partnerId, page);
    return { ...p, edges: p.edges.map((e) => ({ cursor: e.cursor, node: toPartnerOffer(e.node, now) })) };
  }

  @Query(() => PartnerOffer, { description: "One of the caller's own partner offers; another partner's id: NOT_FOUND." })
  async partnerOffer(@Arg('id', () => ID) id: string, @Ctx() ctx: CatalogContext): Promise<PartnerOffer> {
    authorize(ctx, 'partnerOffer');
    const caller = requirePartnerUser(ctx);
    return toPartnerOffer(await ctx.deps.partnerOfferService.own(caller.partnerId, id), ctx.deps.clock.now());
  }
}
