import { graphqlEnum, type EnumValue, payload } from '@csp/kernel';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';

export const OrderStatusEnum = graphqlEnum('OrderStatus', ['PROCESSING', 'COMPLETED', 'PARTIALLY_FAILED', 'FAILED'], {
  description: 'From its subscriptions: PROCESSING while any is provisioning, then COMPLETED, PARTIALLY_FAILED or FAILED.',
});
export type OrderStatusEnum = EnumValue<typeof OrderStatusEnum>;

@InputType()
export class OrderLineItemInput {
  @Field(() => ID) offerId!: string;
  @Field(() => Int) quantity!: number;
  @Field(() => String, { nullable: true }) friendlyName?: string | null;
}

@InputType()
export class PlaceOrderInput {
  @Field(() => ID) customerId!: string;
  @Field({ description: 'Unique per partner: the same key returns the same order.' }) idempotencyKey!: string;
  @Field(() => [OrderLineItemInput]) lineItems!: OrderLineItemInput[];
}

@ObjectType()
export class OrderLineItem {
  @Field(() => Int) quantity!: number;
  @Field(() => String, { nullable: true }) friendlyName?: string | null;
  offerId!: string;
  subscriptionId!: string;
}

@ObjectType()
export class Order {
  @Field(() => ID) id!: string;
  @Field() createdAt!: Date;
  @Field(() => [OrderLineItem]) lineItems!: OrderLineItem[];
  customerId!: string;
  partnerId!: string;
}

export const PlaceOrderPayload = payload('PlaceOrderPayload', 'order', Order);
export type PlaceOrderPayload = InstanceType<typeof PlaceOrderPayload>;
