import { authorize, requireOperator, tag, PUBLIC_TAG } from '@csp/kernel';
import { Arg, Ctx, Mutation, Query, Resolver, Directive } from 'type-graphql';
import type { CatalogContext } from '../context';
import type { MarketDoc } from './market.model';
import { Market, toMarket, UpsertMarketInput, UpsertMarketPayload } from './market.type';

@Resolver(() => Market)
export class MarketResolver {
  @Query(() => [Market], { description: 'Every market the vendor sells in. Public.' })
  @Directive(tag(PUBLIC_TAG))
  async markets(@Ctx() ctx: CatalogContext): Promise<Market[]> {
    const docs = await ctx.deps.marketService.markets.find({}).sort({ _id: 1 }).lean<MarketDoc[]>();
    return docs.map(toMarket);
  }

  @Query(() => Market, { nullable: true, description: 'One market by code; null when unknown. Any signed-in caller.' })
  async market(@Arg('code') code: string, @Ctx() ctx: CatalogContext): Promise<Market | null> {
    return ctx.loaders.market.load(code.trim().toUpperCase());
  }

  @Query(() => Market, { nullable: true, description: 'The market a country (ISO 3166-1 alpha-2) belongs to; null when we do not sell there. Any signed-in caller.' })
  async marketOfCountry(@Arg('country') country: string, @Ctx() ctx: CatalogContext): Promise<Market | null> {
    return ctx.loaders.marketOfCountry.load(country.trim().toUpperCase());
  }

  @Mutation(() => UpsertMarketPayload, {
    description: 'Operator only: create or change a market. A country already in another market is CONFLICT.',
  })
  async upsertMarket(@Arg('input') input: UpsertMarketInput, @Ctx() ctx: CatalogContext): Promise<UpsertMarketPayload> {
    authorize(ctx, 'upsertMarket');
    requireOperator(ctx);
    const doc = await ctx.deps.marketService.upsert(input);
    return Object.assign(new UpsertMarketPayload(), { market: toMarket(doc) });
  }
}
