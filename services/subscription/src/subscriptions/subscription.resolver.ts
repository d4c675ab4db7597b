import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { notFound, requireCaller } from '@csp/kernel';
import type { SubscriptionContext } from '../context';
import { CloudSubscription } from './subscription.type';

@Resolver(() => CloudSubscription)
export class SubscriptionResolver {
  @Query(() => CloudSubscription, { nullable: true, description: 'One subscription the caller may read; another tenant\'s id is NOT_FOUND.' })
  async subscription(@Arg('id', () => ID) id: string, @Ctx() ctx: SubscriptionContext): Promise<CloudSubscription> {
    requireCaller(ctx);
    throw notFound('Subscription', id);
  }
}
