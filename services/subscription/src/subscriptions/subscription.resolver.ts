import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { authorize, notFound, requireCaller } from '@csp/kernel';
import type { SubscriptionContext } from '../context';
import { CustomerRef, offerRef, OfferRef, PartnerRef } from '../refs/refs.type';
import type { SubscriptionDoc } from './subscription.model';
import { isPartnerOf } from './subscription.access';
import { CloudService, CloudSubscription, Provisioning, SubscriptionPayload, toService, toSubscription } from './subscription.type';

const payload = (doc: SubscriptionDoc) => Object.assign(new SubscriptionPayload(), { subscription: toSubscription(doc) });

/** The caller may run this subscription's lifecycle (else NOT_FOUND or FORBIDDEN, as the access rules say). */
const requireLifecycle = async (ctx: SubscriptionContext, id: string) => ctx.deps.access.requireLifecycle(ctx, await ctx.loaders.subscription.load(id), id);

@Resolver(() => CloudSubscription)
export class SubscriptionResolver {
  @Query(() => CloudSubscription, { nullable: true, description: "One subscription the caller may read; another tenant's id is NOT_FOUND." })
  async subscription(@Arg('id', () => ID) id: string, @Ctx() ctx: SubscriptionContext): Promise<CloudSubscription> {
    authorize(ctx, 'subscription');
    requireCaller(ctx);
    const doc = await ctx.loaders.subscription.load(id);
    if (!doc || !(await ctx.deps.access.canRead(ctx, doc))) throw notFound('Subscription', id);
    return toSubscription(doc);
  }

  @Mutation(() => SubscriptionPayload, {
    description: 'Partner of record or reseller: change the quantity (LICENSE only, within min/max, while ACTIVE) or the friendly name.',
  })
  async updateSubscription(
    @Arg('id', () => ID) id: string,
    @Arg('quantity', () => Int, { nullable: true }) quantity: number | null,
    @Arg('friendlyName', () => String, { nullable: true }) friendlyName: string | null | undefined,
    @Ctx() ctx: SubscriptionContext,
  ): Promise<SubscriptionPayload> {
    authorize(ctx, 'updateSubscription');
    await requireLifecycle(ctx, id);
    return payload(await ctx.deps.lifecycle.update(id, ctx.caller!.userId, { quantity, friendlyName }));
  }

  @Mutation(() => SubscriptionPayload, { description: 'ACTIVE → SUSPENDED; running services stop. A reason is required.' })
  async suspendSubscription(@Arg('id', () => ID) id: string, @Arg('reason') reason: string, @Ctx() ctx: SubscriptionContext): Promise<SubscriptionPayload> {
    authorize(ctx, 'suspendSubscription');
    await requireLifecycle(ctx, id);
    return payload(await ctx.deps.lifecycle.suspend(id, ctx.caller!.userId, reason));
  }

  @Mutation(() => SubscriptionPayload, { description: 'SUSPENDED → ACTIVE.' })
  async reactivateSubscription(@Arg('id', () => ID) id: string, @Ctx() ctx: SubscriptionContext): Promise<SubscriptionPayload> {
    authorize(ctx, 'reactivateSubscription');
    await requireLifecycle(ctx, id);
    return payload(await ctx.deps.lifecycle.reactivate(id, ctx.caller!.userId));
  }

  @Mutation(() => SubscriptionPayload, { description: 'Any time (pay as you go): usage up to now stays billable.' })
  async cancelSubscription(
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Ctx() ctx: SubscriptionContext,
  ): Promise<SubscriptionPayload> {
    authorize(ctx, 'cancelSubscription');
    await requireLifecycle(ctx, id);
    return payload(await ctx.deps.lifecycle.cancel(id, ctx.caller!.userId, reason?.trim() || undefined));
  }

  @Mutation(() => SubscriptionPayload, {
    description: "The partner marks a MANUAL partner offer's subscription delivered: PENDING_FULFILMENT → ACTIVE (charged from now). Not its partner's: NOT_FOUND.",
  })
  async fulfilSubscription(
    @Arg('id', () => ID) id: string,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @Ctx() ctx: SubscriptionContext,
  ): Promise<SubscriptionPayload> {
    authorize(ctx, 'fulfilSubscription');
    const doc = await ctx.loaders.subscription.load(id);
    // ACTIVE means usable: not before the partner's OWNER grant is in force. Asked first (of its
    // own partner only: nobody else learns anything), as the manage decision rests on that grant.
    if (doc?.status === 'PENDING_FULFILMENT' && isPartnerOf(requireCaller(ctx), doc)) await ctx.deps.ownerGrant.require(doc);
    await ctx.deps.access.requireLifecycle(ctx, doc, id);
    return payload(await ctx.deps.lifecycle.fulfil(id, ctx.caller!.userId, note ?? undefined));
  }

  @FieldResolver(() => CustomerRef)
  customer(@Root() s: CloudSubscription): CustomerRef {
    return CustomerRef.of(s.doc.customerId);
  }

  @FieldResolver(() => PartnerRef, { description: 'The billing partner of record (direct provider or distributor).' })
  partner(@Root() s: CloudSubscription): PartnerRef {
    return PartnerRef.of(s.doc.partnerId);
  }

  @FieldResolver(() => PartnerRef, { nullable: true, description: 'The indirect reseller that sold it, if any.' })
  reseller(@Root() s: CloudSubscription): PartnerRef | null {
    return s.doc.resellerId ? PartnerRef.of(s.doc.resellerId) : null;
  }

  @FieldResolver(() => OfferRef)
  offer(@Root() s: CloudSubscription): OfferRef {
    return offerRef(s.doc.offerId);
  }

  @FieldResolver(() => Provisioning)
  async provisioning(@Root() s: CloudSubscription, @Ctx() ctx: SubscriptionContext): Promise<Provisioning> {
    const live = await ctx.loaders.provisioning.load(s.id);
    if (live) return Object.assign(new Provisioning(), live);
    // The job was cleaned up long ago: answer from what the subscription recorded.
    const d = s.doc;
    const state = d.status === 'PROVISIONING' ? 'WAITING' : d.status === 'FAILED' ? 'FAILED' : 'COMPLETED';
    return Object.assign(new Provisioning(), { state, attempts: d.provisionedAttempts ?? 0, failedReason: d.failedReason ?? null });
  }

  @FieldResolver(() => [CloudService], { description: 'Services inside a usage subscription.' })
  services(@Root() s: CloudSubscription): CloudService[] {
    return s.doc.services.map((e) => toService(s.doc, e));
  }
}
