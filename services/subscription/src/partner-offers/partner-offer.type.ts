import { Connection, Money } from '@csp/kernel';
import { Directive, Field, ObjectType, registerEnumType, type ClassType } from 'type-graphql';
import { OrderableOffer } from '../refs/refs.type';

// The catalog's enums, repeated here for the fields this service shares with it.
export enum PartnerOfferChargeType {
  MONTHLY = 'MONTHLY',
  ONE_TIME = 'ONE_TIME',
}
registerEnumType(PartnerOfferChargeType, {
  name: 'PartnerOfferChargeType',
  description: 'MONTHLY: per unit and month, prorated by day. ONE_TIME: billed once, in the month ordered.',
});

export enum PartnerOfferFulfilment {
  MANUAL = 'MANUAL',
  AUTOMATIC = 'AUTOMATIC',
}
registerEnumType(PartnerOfferFulfilment, {
  name: 'PartnerOfferFulfilment',
  description: 'MANUAL: the subscription waits in PENDING_FULFILMENT until its partner fulfils it. AUTOMATIC: active without the partner, moments after the order (once the partner\'s OWNER grant on it is in force).',
});

/** Catalog's PartnerOffer: the fields ordering needs, from this service's copy; catalog has the rest. */
@Directive('@shareable')
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('PartnerOffer', { implements: OrderableOffer })
export class PartnerOfferRef extends OrderableOffer {
  @Field(() => PartnerOfferChargeType) chargeType!: PartnerOfferChargeType;
  @Field(() => PartnerOfferFulfilment) fulfilment!: PartnerOfferFulfilment;
  @Field(() => Money, { description: "The unit price in force now, in the partner's currency." }) unitPrice!: Money;
}

export const OrderableOfferConnection = Connection(OrderableOffer as unknown as ClassType<OrderableOffer>, 'OrderableOffer');
