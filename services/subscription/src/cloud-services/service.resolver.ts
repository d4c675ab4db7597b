import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { authorize, badInput } from '@csp/kernel';
import type { SubscriptionContext } from '../context';
import type { ServiceEntry, SubscriptionDoc } from '../subscriptions/subscription.model';
import { CloudServicePayload, toService } from '../subscriptions/subscription.type';

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,79}$/;

/**
 * Services inside an ACTIVE usage subscription. Each needs "subscription/manage" on the
 * service's scope or above it, as access-control decides for the caller (FORBIDDEN otherwise):
 * this is what a customer's role grant buys.
 */
@Resolver()
export class CloudServiceResolver {
  private async authorized(ctx: SubscriptionContext, subscriptionId: string, name: string): Promise<SubscriptionDoc> {
    if (!NAME_RE.test(name)) throw badInput('name must be 1-80 letters, digits, ".", "_", "~" or "-", starting with a letter or digit.', 'name');
    const doc = await ctx.loaders.subscription.load(subscriptionId);
    return ctx.deps.access.requireManage(ctx, doc, subscriptionId, name);
  }

  private payload(doc: SubscriptionDoc, e: ServiceEntry) {
    return Object.assign(new CloudServicePayload(), { service: toService(doc, e) });
  }

  @Mutation(() => CloudServicePayload, { description: 'A new STOPPED service bound to a meter of the subscription\'s market rate card.' })
  async createService(
    @Arg('subscriptionId', () => ID) subscriptionId: string,
    @Arg('name') name: string,
    @Arg('meterId', () => ID) meterId: string,
    @Ctx() ctx: SubscriptionContext,
  ): Promise<CloudServicePayload> {
    authorize(ctx, 'createService');
    const doc = await this.authorized(ctx, subscriptionId, name);
    return this.payload(doc, await ctx.deps.services.create(subscriptionId, name, meterId));
  }

  @Mutation(() => CloudServicePayload, { description: 'STOPPED → RUNNING: the service produces usage on its meter.' })
  async startService(@Arg('subscriptionId', () => ID) subscriptionId: string, @Arg('name') name: string, @Ctx() ctx: SubscriptionContext) {
    authorize(ctx, 'startService');
    const doc = await this.authorized(ctx, subscriptionId, name);
    return this.payload(doc, await ctx.deps.services.start(subscriptionId, name));
  }

  @Mutation(() => CloudServicePayload, { description: 'RUNNING → STOPPED.' })
  async stopService(@Arg('subscriptionId', () => ID) subscriptionId: string, @Arg('name') name: string, @Ctx() ctx: SubscriptionContext) {
    authorize(ctx, 'stopService');
    const doc = await this.authorized(ctx, subscriptionId, name);
    return this.payload(doc, await ctx.deps.services.stop(subscriptionId, name));
  }

  @Mutation(() => CloudServicePayload, { description: 'Removes the service (stopping it first); usage so far stays billable.' })
  async deleteService(@Arg('subscriptionId', () => ID) subscriptionId: string, @Arg('name') name: string, @Ctx() ctx: SubscriptionContext) {
    authorize(ctx, 'deleteService');
    const doc = await this.authorized(ctx, subscriptionId, name);
    return this.payload(doc, await ctx.deps.services.delete(subscriptionId, name));
  }
}
