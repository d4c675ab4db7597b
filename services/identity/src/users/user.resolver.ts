import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { IdentityContext } from '../context';
import { Customer } from '../customers/customer.type';
import { Partner } from '../partners/partner.type';
import { User } from './user.type';

@Resolver(() => User)
export class UserResolver {
  @FieldResolver(() => Partner, { nullable: true, description: 'The partner a partner user works for; null otherwise.' })
  partner(@Root() u: User, @Ctx() ctx: IdentityContext): Promise<Partner | null> | null {
    return u.partnerId ? ctx.loaders.partner.load(u.partnerId) : null;
  }

  @FieldResolver(() => Customer, { nullable: true, description: "The tenant a customer user belongs to; null otherwise." })
  customer(@Root() u: User, @Ctx() ctx: IdentityContext): Promise<Customer | null> | null {
    return u.customerId ? ctx.loaders.customer.load(u.customerId) : null;
  }
}
