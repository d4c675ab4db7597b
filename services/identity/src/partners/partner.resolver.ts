import { authorize, connectionFrom, decodeCursor, notFound, pageSize, paginate, PageArgs, requireCaller, requireOperator } from '@csp/kernel';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { IdentityContext } from '../context';
import { Customer, CustomerConnection, toCustomer } from '../customers/customer.type';
import { SecurityGroup, toGroup } from '../groups/group.type';
import { toUser } from '../users/user.type';
import { seesCustomer, seesPartner } from '../visibility/visibility';
import type { CustomerDoc } from '../customers/customer.model';
import { ACTIVE_LINK, type ResellerLinkDoc } from './reseller-link.model';
import { AcceptResellerLinkPayload, LinkResellerPayload, OnboardPartnerInput, OnboardPartnerPayload, Partner, PartnerConnection, toPartner } from './partner.type';

@Resolver(() => Partner)
export class PartnerResolver {
  @Mutation(() => OnboardPartnerPayload, { description: 'Operator only: a new partner with its first admin user and admin-agents group.' })
  async onboardPartner(@Arg('input') input: OnboardPartnerInput, @Ctx() ctx: IdentityContext): Promise<OnboardPartnerPayload> {
    authorize(ctx, 'onboardPartner');
    requireOperator(ctx);
    const { partner, admin } = await ctx.deps.partnerService.onboard(input);
    const group = await ctx.deps.groups.findById(partner.adminAgentsGroupId).lean();
    return Object.assign(new OnboardPartnerPayload(), { partner: toPartner(partner), adminUser: toUser(admin), adminAgentsGroup: toGroup(group!) });
  }

  @Mutation(() => LinkResellerPayload, {
    description: "A distributor (indirect provider) invites an indirect reseller of its market: PENDING until the reseller's admin accepts.",
  })
  async linkReseller(@Arg('resellerId', () => ID) resellerId: string, @Ctx() ctx: IdentityContext): Promise<LinkResellerPayload> {
    authorize(ctx, 'linkReseller');
    const { reseller, link } = await ctx.deps.partnerService.linkReseller(requireCaller(ctx), resellerId);
    return Object.assign(new LinkResellerPayload(), { partner: toPartner(reseller), status: link.status });
  }

  @Mutation(() => AcceptResellerLinkPayload, {
    description: "An indirect reseller's admin accepts a distributor's invitation; only then does the distributor see its customers and sell on its behalf.",
  })
  async acceptResellerLink(@Arg('distributorId', () => ID) distributorId: string, @Ctx() ctx: IdentityContext): Promise<AcceptResellerLinkPayload> {
    authorize(ctx, 'acceptResellerLink');
    const { distributor, link } = await ctx.deps.partnerService.acceptResellerLink(requireCaller(ctx), distributorId);
    return Object.assign(new AcceptResellerLinkPayload(), { partner: toPartner(distributor), status: link.status });
  }

  @Query(() => Partner, { description: "Your own partner, a distributor's resellers; the operator sees all. Otherwise NOT_FOUND." })
  async partner(@Arg('id', () => ID) id: string, @Ctx() ctx: IdentityContext): Promise<Partner> {
    authorize(ctx, 'partner');
    requireCaller(ctx);
    const partner = seesPartner(await ctx.loaders.view(), id) ? await ctx.loaders.partner.load(id) : null;
    if (!partner) throw notFound('Partner', id);
    return partner;
  }

  @Query(() => PartnerConnection, { description: 'The partners you may see: all for the operator; yours and your resellers otherwise.' })
  async partners(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: IdentityContext) {
    authorize(ctx, 'partners');
    requireCaller(ctx);
    const view = await ctx.loaders.view();
    const filter = view.all ? {} : { _id: { $in: [...view.partnerIds] } };
    return paginate(ctx.deps.partners, filter, page, toPartner);
  }

  @FieldResolver(() => PartnerConnection, { description: "A distributor's linked resellers (accepted links only)." })
  async resellers(@Root() p: Partner, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: IdentityContext) {
    await this.guard(p, ctx);
    const size = pageSize(page.first);
    const after = page.after ? decodeCursor(page.after) : undefined;
    const filter = { distributorId: p.id, ...ACTIVE_LINK };
    const [links, totalCount] = await Promise.all([
      ctx.deps.resellerLinks
        .find(after ? { ...filter, _id: { $gt: after } } : filter, { outbox: 0 })
        .sort({ _id: 1 })
        .limit(size + 1)
        .lean<ResellerLinkDoc[]>(),
      ctx.deps.resellerLinks.countDocuments(filter),
    ]);
    const conn = connectionFrom(links.slice(0, size), links.length > size, !!after, totalCount, (l) => l._id, (l) => l.resellerId);
    const nodes = await ctx.loaders.partner.loadMany(conn.edges.map((e) => e.node));
    return { ...conn, edges: conn.edges.map((e, i) => ({ cursor: e.cursor, node: nodes[i] })).filter((e) => e.node instanceof Partner) };
  }

  @FieldResolver(() => [Partner], { description: "A reseller's distributors (accepted links only)." })
  async distributors(@Root() p: Partner, @Ctx() ctx: IdentityContext): Promise<Partner[]> {
    await this.guard(p, ctx);
    return this.distributorsBy(ctx, { resellerId: p.id, ...ACTIVE_LINK });
  }

  @FieldResolver(() => [Partner], {
    description: "Distributors that invited this reseller and wait for its admin's acceptance. Only for the reseller itself and the operator; others get [].",
  })
  async distributorInvitations(@Root() p: Partner, @Ctx() ctx: IdentityContext): Promise<Partner[]> {
    await this.guard(p, ctx);
    const caller = requireCaller(ctx);
    // A distributor may read its reseller's page, but not who else courts that reseller.
    if (caller.kind !== 'OPERATOR' && caller.partnerId !== p.id) return [];
    return this.distributorsBy(ctx, { resellerId: p.id, status: { $ne: 'ACTIVE' } });
  }

  private async distributorsBy(ctx: IdentityContext, filter: Record<string, unknown>): Promise<Partner[]> {
    const links = await ctx.deps.resellerLinks.find(filter, { distributorId: 1 }).sort({ _id: 1 }).lean<ResellerLinkDoc[]>();
    const found = await ctx.loaders.partner.loadMany(links.map((l) => l.distributorId));
    return found.filter((x): x is Partner => x instanceof Partner);
  }

  @FieldResolver(() => CustomerConnection, {
    description: 'Customers with an active relationship; for a distributor, those of its linked resellers too.',
  })
  async customers(@Root() p: Partner, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: IdentityContext) {
    await this.guard(p, ctx);
    const { visibility } = ctx.deps;
    const partnerIds = p.tier === 'INDIRECT_PROVIDER' ? [p.id, ...(await visibility.resellersOf(p.id))] : [p.id];
    const view = await ctx.loaders.view();
    // A distributor reads a reseller's customers only where the business runs through it.
    const ids = [...(await visibility.customersOf(partnerIds))].filter((id) => seesCustomer(view, id));
    return paginate<CustomerDoc, Customer>(ctx.deps.customers, { _id: { $in: ids }, status: 'ACTIVE' }, page, toCustomer);
  }

  @FieldResolver(() => SecurityGroup, { description: "Owner of the partner's new subscriptions." })
  async adminAgentsGroup(@Root() p: Partner, @Ctx() ctx: IdentityContext): Promise<SecurityGroup> {
    await this.guard(p, ctx);
    const group = await ctx.loaders.group.load(p.adminAgentsGroupId);
    if (!group) throw notFound('SecurityGroup', p.adminAgentsGroupId);
    return group;
  }

  /** A partner's customers and resellers are for the partner itself, its distributors and the operator. */
  private async guard(p: Partner, ctx: IdentityContext): Promise<void> {
    requireCaller(ctx);
    if (!seesPartner(await ctx.loaders.view(), p.id)) throw notFound('Partner', p.id);
  }
}
