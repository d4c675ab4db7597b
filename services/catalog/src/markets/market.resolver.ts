import { Query, Resolver } from 'type-graphql';
import { Market } from './market.type';

@Resolver(() => Market)
export class MarketResolver {
  @Query(() => [Market], { description: 'Every market the vendor sells in. Public.' })
  async markets(): Promise<Market[]> {
    return [];
  }
}
