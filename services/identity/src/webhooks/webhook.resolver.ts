import { authorize, PageArgs, requireCaller, type ConnectionShape } from '@csp/kernel';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { IdentityContext } from '../context';
import type { WebhookDeliveryDoc, WebhookEndpointDoc } from './webhook.model';
import { CreateWebhookEndpointPayload, WebhookAttempt, WebhookDelivery, WebhookDeliveryConnection, WebhookDeliveryPayload, WebhookEndpoint } from './webhook.type';

const toEndpoint = (d: WebhookEndpointDoc) => Object.assign(new WebhookEndpoint(), { id: d._id, url: d.url, eventTypes: d.eventTypes, enabled: d.enabled, createdAt: d.createdAt, failingSince: d.failingSince, disabledAt: d.disabledAt });
const toDelivery = (d: WebhookDeliveryDoc) =>
  Object.assign(new WebhookDelivery(), {
    id: d._id,
    eventType: d.eventType,
    eventId: d.eventId,
    status: d.status,
    attempts: d.attempts,
    lastResponseCode: d.lastResponseCode,
    nextAttemptAt: d.nextAttemptAt,
    log: (d.log ?? []).map((a) => Object.assign(new WebhookAttempt(), a)),
  });

@Resolver(() => WebhookEndpoint)
export class WebhookResolver {
  @Mutation(() => CreateWebhookEndpointPayload, { description: 'A partner user or the operator: registers an endpoint for event types about its own objects; the secret is returned only here.' })
  async createWebhookEndpoint(@Arg('url') url: string, @Arg('eventTypes', () => [String]) eventTypes: string[], @Ctx() ctx: IdentityContext): Promise<CreateWebhookEndpointPayload> {
    authorize(ctx, 'createWebhookEndpoint');
    const { endpoint, secret } = await ctx.deps.webhooks.create(requireCaller(ctx), url, eventTypes);
    return Object.assign(new CreateWebhookEndpointPayload(), { endpoint: toEndpoint(endpoint), secret });
  }

  @Mutation(() => CreateWebhookEndpointPayload, { description: 'A new signing secret, returned only here; the old one also signs until the overlap (default 24 h) ends.' })
  async rotateWebhookSecret(
    @Arg('endpointId', () => ID) endpointId: string,
    @Arg('overlapHours', () => Int, { nullable: true }) overlapHours: number | null,
    @Ctx() ctx: IdentityContext,
  ): Promise<CreateWebhookEndpointPayload> {
    authorize(ctx, 'rotateWebhookSecret');
    const { endpoint, secret } = await ctx.deps.webhooks.rotateSecret(requireCaller(ctx), endpointId, overlapHours ?? 24);
    return Object.assign(new CreateWebhookEndpointPayload(), { endpoint: toEndpoint(endpoint), secret });
  }

  @Query(() => WebhookEndpoint, { description: 'One of the caller’s webhook endpoints.' })
  async webhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() ctx: IdentityContext): Promise<WebhookEndpoint> {
    authorize(ctx, 'webhookEndpoint');
    return toEndpoint(await ctx.deps.webhooks.endpoint(requireCaller(ctx), id));
  }

  @FieldResolver(() => WebhookDeliveryConnection, { description: 'Deliveries to this endpoint with every attempt.' })
  async deliveries(@Root() ep: WebhookEndpoint, @Args() page: PageArgs, @Ctx() ctx: IdentityContext): Promise<ConnectionShape<WebhookDelivery>> {
    const c = await ctx.deps.webhooks.deliveries(ep.id, page);
    return { ...c, edges: c.edges.map((e) => ({ cursor: e.cursor, node: toDelivery(e.node) })) };
  }

  @Mutation(() => WebhookDeliveryPayload, { description: 'Sends a `webhook.test` event to the endpoint.' })
  async sendTestWebhook(@Arg('endpointId', () => ID) endpointId: string, @Ctx() ctx: IdentityContext): Promise<WebhookDeliveryPayload> {
    authorize(ctx, 'sendTestWebhook');
    return Object.assign(new WebhookDeliveryPayload(), { delivery: toDelivery(await ctx.deps.webhooks.sendTest(requireCaller(ctx), endpointId)) });
  }

  @Mutation(() => WebhookDeliveryPayload, { description: 'Sends a delivery again (same event id and body), with a fresh 24-hour retry window.' })
  async redeliverWebhook(@Arg('deliveryId', () => ID) deliveryId: string, @Ctx() ctx: IdentityContext): Promise<WebhookDeliveryPayload> {
    authorize(ctx, 'redeliverWebhook');
    return Object.assign(new WebhookDeliveryPayload(), { delivery: toDelivery(await ctx.deps.webhooks.redeliver(requireCaller(ctx), deliveryId)) });
  }
}
