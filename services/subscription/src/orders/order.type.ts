import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum OrderStatusEnum {
  PROCESSING = 'PROCESSING',
  COMPLETED = 'COMPLETED',
  PARTIALLY_FAILED = 'PARTIALLY_FAILED',
  FAILED = 'FAILED',
}
registerEnumType(OrderStatusEnum, {
  name: 'OrderStatus',
  description: 'From its subscriptions: PROCESSING while any is provisioning, then COMPLETED, PARTIALLY_FAILED or FAILED.',
});

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

@ObjectType()
export class PlaceOrderPayload {
  @Field(() => Order) order!: Order;
}
