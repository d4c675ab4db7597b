import { Connection, Money, graphqlEnum, type EnumValue } from '@csp/kernel';
import { Directive, Field, ObjectType, type ClassType } from 'type-graphql';
import { OrderableOffer } from '../refs/refs.type';

// The catalog's enums, repeated here for the fields this service shares with it.
export const PartnerOfferChargeType = graphqlEnum('PartnerOfferChargeType', ['MONTHLY', 'ONE_TIME'], {
  description: 'MONTHLY: per unit and month, prorated by day. ONE_TIME: billed once, in the month ordered.',
});
export type PartnerOfferChargeType = EnumValue<typeof PartnerOfferChargeType>;

export const PartnerOfferFulfilment = graphqlEnum('PartnerOfferFulfilment', ['MANUAL', 'AUTOMATIC'], {
  description: 'MANUAL: the subscription waits in PENDING_FULFILMENT until its partner fulfils it. AUTOMATIC: active without the partner, moments after the order (once the partner\'s OWNER grant on it is in force).',
});
export type PartnerOfferFulfilment = EnumValue<typeof PartnerOfferFulfilment>;

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
