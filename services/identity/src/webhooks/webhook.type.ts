import { Connection, payload } from '@csp/kernel';
import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'An HTTPS endpoint receiving signed events about its owner’s objects.' })
export class WebhookEndpoint {
  @Field(() => ID) id!: string;
  @Field() url!: string;
  @Field(() => [String]) eventTypes!: string[];
  @Field({ description: 'False once every delivery failed for a day (event webhook.endpointDisabled).' }) enabled!: boolean;
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true, description: 'Since when deliveries fail without a success.' }) failingSince?: Date;
  @Field(() => Date, { nullable: true }) disabledAt?: Date;
}

@ObjectType({ description: 'One event for one endpoint, with its attempts. Receivers deduplicate by eventId (delivery is at least once).' })
export class WebhookDelivery {
  @Field(() => ID) id!: string;
  @Field() eventType!: string;
  @Field() eventId!: string;
  @Field({ description: 'PENDING, SUCCEEDED or FAILED (gave up after 24 hours of retries).' }) status!: string;
  @Field(() => Int) attempts!: number;
  @Field(() => Int, { nullable: true }) lastResponseCode?: number;
  @Field(() => Date, { nullable: true }) nextAttemptAt?: Date;
  @Field(() => [WebhookAttempt]) log!: WebhookAttempt[];
}

@ObjectType()
export class WebhookAttempt {
  @Field() at!: Date;
  @Field(() => Int, { nullable: true }) responseCode?: number;
  @Field(() => String, { nullable: true }) error?: string;
  @Field(() => Int) durationMs!: number;
}

export const WebhookDeliveryConnection = Connection(WebhookDelivery);

@ObjectType()
export class CreateWebhookEndpointPayload {
  @Field(() => WebhookEndpoint) endpoint!: WebhookEndpoint;
  @Field({ description: 'The signing secret, shown this once.' }) secret!: string;
}

export const WebhookDeliveryPayload = payload('WebhookDeliveryPayload', 'delivery', WebhookDelivery);
export type WebhookDeliveryPayload = InstanceType<typeof WebhookDeliveryPayload>;
