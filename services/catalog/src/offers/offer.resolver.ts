import { authorize, badInput, Connection, countryCode, Money, notFound, PageArgs, requireOperator, type ConnectionShape, tag, PUBLIC_TAG } from '@csp/kernel';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Mutation, Query, Resolver, Root, Directive } from 'type-graphql';
import type { CatalogContext } from '../context';
import { Offer, OfferFamily, OfferPriceInput, PublishOfferInput, PublishOfferPayload, SetOfferAvailabilityPayload, SetOfferPricesPayload, toOffer } from './offer.type';

const OfferConnection = Connection(Offer);

@ArgsType()
class OffersArgs extends PageArgs {
  @Field({ description: 'ISO 3166-1 alpha-2; the offers of the market this country belongs to.' }) country!: string;
  @Field(() => OfferFamily, { nullable: true }) family?: OfferFamily;
}

@Resolver(() => Offer)
export class OfferResolver {
  @Directive(tag(PUBLIC_TAG))
  @Query(() => OfferConnection, {
    description: 'Offers buyable in a country now (available in its market from a date not after now). Public. Unknown country: BAD_USER_INPUT.',
  })
  async offers(@Args() args: OffersArgs, @Ctx() ctx: CatalogContext): Promise<ConnectionShape<Offer>> {
    const market = await marketOf(ctx, args.country);
    const page = await ctx.deps.offerService.list(market.code, ctx.deps.clock.now(), args.family, args);
    return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: toOffer(e.node) })) };
  }

  @Query(() => Offer, { description: 'One offer by id, available or not. Public. Unknown id: NOT_FOUND.' })
  @Directive(tag(PUBLIC_TAG))
  async offer(@Arg('id', () => ID) id: string, @Ctx() ctx: CatalogContext): Promise<Offer> {
    const offer = await ctx.loaders.offer.load(id);
    if (!offer) throw notFound('Offer', id);
    return offer;
  }

  @FieldResolver(() => Money, {
    nullable: true,
    description: "LICENSE: the monthly price per seat in the country's market currency (null when not priced there). USAGE: null, see rateCard.",
  })
  async unitPrice(@Root() offer: Offer, @Arg('country') country: string, @Ctx() ctx: CatalogContext): Promise<Money | null> {
    if (offer.billingType !== 'LICENSE') return null;
    const market = await marketOf(ctx, country);
    const price = offer.doc.prices.find((p) => p.market === market.code);
    return price ? Money.of(price.unitPrice, price.currency) : null;
  }

  @Mutation(() => PublishOfferPayload, { description: 'Operator only: publish a new offer; it is available nowhere until setOfferAvailability.' })
  async publishOffer(@Arg('input') input: PublishOfferInput, @Ctx() ctx: CatalogContext): Promise<PublishOfferPayload> {
    authorize(ctx, 'publishOffer');
    requireOperator(ctx);
    // PARTNER is not a vendor billing type: validation refuses it with BAD_USER_INPUT.
    const { doc } = await ctx.deps.offerService.publish(input as Omit<PublishOfferInput, 'billingType'> & { billingType: 'USAGE' | 'LICENSE' });
    return Object.assign(new PublishOfferPayload(), { offer: toOffer(doc) });
  }

  @Mutation(() => SetOfferAvailabilityPayload, {
    description: 'Operator only: the offer becomes available in these markets from availableFrom (default now); other markets keep theirs.',
  })
  async setOfferAvailability(
    @Arg('offerId', () => ID) offerId: string,
    @Arg('markets', () => [String]) markets: string[],
    @Arg('availableFrom', () => Date, { nullable: true }) availableFrom: Date | undefined,
    @Ctx() ctx: CatalogContext,
  ): Promise<SetOfferAvailabilityPayload> {
    authorize(ctx, 'setOfferAvailability');
    requireOperator(ctx);
    const doc = await ctx.deps.offerService.setAvailability(offerId, markets, availableFrom ?? ctx.deps.clock.now());
    return Object.assign(new SetOfferAvailabilityPayload(), { offer: toOffer(doc) });
  }

  @Mutation(() => SetOfferPricesPayload, {
    description: "Operator only: new monthly prices of a LICENSE offer in some markets, in force from now; other markets keep theirs.",
  })
  async setOfferPrices(
    @Arg('offerId', () => ID) offerId: string,
    @Arg('prices', () => [OfferPriceInput]) prices: OfferPriceInput[],
    @Ctx() ctx: CatalogContext,
  ): Promise<SetOfferPricesPayload> {
    authorize(ctx, 'setOfferPrices');
    requireOperator(ctx);
    const doc = await ctx.deps.offerService.setPrices(offerId, prices);
    return Object.assign(new SetOfferPricesPayload(), { offer: toOffer(doc) });
  }
}

async function marketOf(ctx: CatalogContext, country: string) {
  const code = countryCode(country);
  const market = await ctx.loaders.marketOfCountry.load(code);
  if (!market) throw badInput(`"${code}" is not a country we sell in.`, 'country');
  return market;
}
