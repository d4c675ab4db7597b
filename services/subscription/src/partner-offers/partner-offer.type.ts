import { partnerOfferEnums } from '@csp/events';
import { Connection, Money, graphqlEnum, type EnumValue } from '@csp/kernel';
import { Directive, Field, ObjectType, type ClassType } from 'type-graphql';
import { OrderableOffer } from '../refs/refs.type';

// The catalog's enums (one definition, in @csp/events), for the fields this service shares with it.
const { chargeType, fulfilment } = partnerOfferEnums;
export const PartnerOfferChargeType = graphqlEnum(chargeType.name, chargeType.values, { description: chargeType.description });
export type PartnerOfferChargeType = EnumValue<typeof PartnerOfferChargeType>;
export const PartnerOfferFulfilment = graphqlEnum(fulfilment.name, fulfilment.values, { description: fulfilment.description });
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
