import { authorize, badInput, notFound, paginate, PageArgs, requireCaller } from '@csp/kernel';
import type { QueryFilter } from 'mongoose';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { IdentityContext } from '../context';
import { Relationship, toRelationship } from '../relationships/relationship.type';
import { toUser, User } from '../users/user.type';
import { seesCustomer } from '../visibility/visibility';
import type { CustomerDoc } from './customer.model';
import { CreateCustomerInput, CreateCustomerPayload, Customer, CustomerConnection, toCustomer } from './customer.type';

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

@Resolver(() => Customer)
export class CustomerResolver {
  @Mutation(() => CreateCustomerPayload, {
    description: 'A direct provider or reseller (or a distributor for a linked reseller) creates a tenant with its first admin user.',
  })
  async createCustomer(@Arg('input') input: CreateCustomerInput, @Ctx() ctx: IdentityContext): Promise<CreateCustomerPayload> {
    authorize(ctx, 'createCustomer');
    const { customer, admin } = await ctx.deps.customerService.create(requireCaller(ctx), input);
    return Object.assign(new CreateCustomerPayload(), { customer: toCustomer(customer), adminUser: toUser(admin) });
  }

  @Query(() => Customer, { description: 'A customer you may see; otherwise NOT_FOUND.' })
  async customer(@Arg('id', () => ID) id: string, @Ctx() ctx: IdentityContext): Promise<Customer> {
    authorize(ctx, 'customer');
    requireCaller(ctx);
    const customer = seesCustomer(await ctx.loaders.view(), id) ? await ctx.loaders.customer.load(id) : null;
    if (!customer) throw notFound('Customer', id);
    return customer;
  }

  @Query(() => CustomerConnection, {
    description: 'Customers you may see, oldest first; `search` matches company name or domain (case-insensitive).',
  })
  async customers(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('search', () => String, { nullable: true }) search: string | null | undefined,
    @Ctx() ctx: IdentityContext,
  ) {
    authorize(ctx, 'customers');
    requireCaller(ctx);
    const view = await ctx.loaders.view();
    const filter: QueryFilter<CustomerDoc> = { status: 'ACTIVE' };
    if (!view.all) filter._id = { $in: [...view.customerIds] };
    const term = search?.trim();
    if (term) {
      if (term.length > 100) throw badInput('search must have at most 100 characters.', 'search');
      const re = { $regex: escapeRegex(term), $options: 'i' };
      filter.$or = [{ companyName: re }, { domain: re }];
    }
    return paginate<CustomerDoc, Customer>(ctx.deps.customers, filter, page, toCustomer);
  }

  @FieldResolver(() => [Relationship], {
    description: "The customer's partners. A partner sees its own relationships (a distributor its resellers' too).",
  })
  async relationships(@Root() c: Customer, @Ctx() ctx: IdentityContext): Promise<Relationship[]> {
    const view = await this.guard(c, ctx);
    const docs = await ctx.loaders.relationshipsOf.load(c.id);
    return docs.filter((d) => view.all || ctx.caller?.kind === 'CUSTOMER_USER' || view.partnerIds.has(d.partnerId)).map(toRelationship);
  }

  @FieldResolver(() => [User], { description: "The tenant's users." })
  async users(@Root() c: Customer, @Ctx() ctx: IdentityContext): Promise<User[]> {
    await this.guard(c, ctx);
    return ctx.loaders.usersOf.load(c.id);
  }

  private async guard(c: Customer, ctx: IdentityContext) {
    requireCaller(ctx);
    const view = await ctx.loaders.view();
    if (!seesCustomer(view, c.id)) throw notFound('Customer', c.id);
    return view;
  }
}
