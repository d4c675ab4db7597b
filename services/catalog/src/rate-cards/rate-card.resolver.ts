import { authorize, badInput, Connection, notFound, PageArgs, requireOperator, type ConnectionShape, tag, PUBLIC_TAG } from '@csp/kernel';
import { Arg, Args, ArgsType, Ctx, Field, ID, Mutation, Query, Resolver, Directive } from 'type-graphql';
import type { CatalogContext } from '../context';
import { marketCode } from '../shared/codes';
import { Meter, PublishRateCardInput, PublishRateCardPayload, RateCard, toRateCard } from './rate-card.type';

const RateCardConnection = Connection(RateCard);

@ArgsType()
class RateCardsArgs extends PageArgs {
  @Field({ description: 'Market code' }) market!: string;
}

@Resolver(() => RateCard)
export class RateCardResolver {
  @Directive(tag(PUBLIC_TAG))
  @Query(() => RateCard, {
    nullable: true,
    description:
      'The rate card of a market in force now, or at `at` (the card then in force: history is kept). Null before its first card. Public. Unknown market: BAD_USER_INPUT.',
  })
  async rateCard(
    @Arg('market') market: string,
    @Arg('at', () => Date, { nullable: true, description: 'Default now.' }) at: Date | undefined,
    @Ctx() ctx: CatalogContext,
  ): Promise<RateCard | null> {
    const code = await knownMarket(ctx, market);
    const doc = await ctx.deps.rateCardService.inForce(code, at ?? ctx.deps.clock.now());
    return doc ? toRateCard(doc) : null;
  }

  @Query(() => RateCardConnection, { description: 'Every rate card of a market, oldest first, future ones included. Signed-in callers.' })
  async rateCards(@Args() args: RateCardsArgs, @Ctx() ctx: CatalogContext): Promise<ConnectionShape<RateCard>> {
    const code = await knownMarket(ctx, args.market);
    const page = await ctx.deps.rateCardService.history(code, args);
    return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: toRateCard(e.node) })) };
  }

  @Query(() => Meter, { description: 'One meter by id. Unknown id: NOT_FOUND.' })
  async meter(@Arg('id', () => ID) id: string, @Ctx() ctx: CatalogContext): Promise<Meter> {
    const meter = await ctx.loaders.meter.load(id);
    if (!meter) throw notFound('Meter', id);
    return meter;
  }

  @Mutation(() => PublishRateCardPayload, {
    description: "Operator only: add a market's rate card from effectiveFrom. Tiers start at 0 and ascend strictly; prices are not negative.",
  })
  async publishRateCard(@Arg('input') input: PublishRateCardInput, @Ctx() ctx: CatalogContext): Promise<PublishRateCardPayload> {
    authorize(ctx, 'publishRateCard');
    requireOperator(ctx);
    const { doc } = await ctx.deps.rateCardService.publish(input);
    return Object.assign(new PublishRateCardPayload(), { rateCard: toRateCard(doc) });
  }
}

async function knownMarket(ctx: CatalogContext, market: string): Promise<string> {
  const code = marketCode(market);
  if (!(await ctx.loaders.market.load(code))) throw badInput(`"${market}" is not a market we sell in.`, 'market');
  return code;
}
