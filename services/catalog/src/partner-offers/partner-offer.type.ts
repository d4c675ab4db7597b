import { partnerOfferEnums } from '@csp/events';
import { Money, MoneyInput, graphqlEnum, type EnumValue, entityRef, payload } from '@csp/kernel';
import { Directive, Field, ID, InputType, ObjectType } from 'type-graphql';
import { priceAt, type PartnerOfferDoc } from './partner-offer.model';

const { chargeType, fulfilment } = partnerOfferEnums;
export const PartnerOfferChargeType = graphqlEnum(chargeType.name, chargeType.values, { description: chargeType.description });
export type PartnerOfferChargeType = EnumValue<typeof PartnerOfferChargeType>;
export const PartnerOfferFulfilment = graphqlEnum(fulfilment.name, fulfilment.values, { description: fulfilment.description });
export type PartnerOfferFulfilment = EnumValue<typeof PartnerOfferFulfilment>;

export const PartnerOfferStatus = graphqlEnum('PartnerOfferStatus', ['ACTIVE', 'RETIRED'], {
  description: 'RETIRED: no new orders; existing subscriptions run on.',
});
export type PartnerOfferStatus = EnumValue<typeof PartnerOfferStatus>;

/** The partner that owns an offer; identity resolves its fields. */
export const PublisherRef = entityRef('Partner', { resolvable: false });
export type PublisherRef = InstanceType<typeof PublisherRef>;

@ObjectType({ description: 'A unit price of a partner offer and the instant from which it applies.' })
export class PartnerOfferPrice {
  @Field(() => Money) unitPrice!: Money;
  @Field() effectiveFrom!: Date;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: "A partner's own product sold next to the vendor's: only that partner's customers see and order it." })
export class PartnerOffer {
  @Field(() => ID) id!: string;
  @Directive('@shareable') @Field() name!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Directive('@shareable') @Field(() => PartnerOfferChargeType) chargeType!: PartnerOfferChargeType;
  @Directive('@shareable') @Field(() => PartnerOfferFulfilment) fulfilment!: PartnerOfferFulfilment;
  @Directive('@shareable')
  @Field(() => Money, { description: "The unit price in force now, in the partner's currency." })
  unitPrice!: Money;
  @Field(() => [PartnerOfferPrice], { description: 'Every price with the instant it applies from (future ones too), oldest first.' })
  prices!: PartnerOfferPrice[];
  @Field(() => ID, { nullable: true, description: 'An add-on: the vendor offer it is only sold with (and ends with).' })
  attachesToOfferId?: string | null;
  @Field(() => PartnerOfferStatus) status!: PartnerOfferStatus;
  @Field(() => PublisherRef) publisher!: PublisherRef;
  @Field() publishedAt!: Date;
  @Field(() => Date, { nullable: true }) retiredAt?: Date | null;
}

export function toPartnerOffer(doc: PartnerOfferDoc, now: Date): PartnerOffer {
  const current = priceAt(doc.prices, now);
  const prices = [...doc.prices].sort((a, b) => new Date(a.effectiveFrom).getTime() - new Date(b.effectiveFrom).getTime());
  return Object.assign(new PartnerOffer(), {
    id: doc._id,
    name: doc.name,
    description: doc.description ?? null,
    chargeType: doc.chargeType,
    fulfilment: doc.fulfilment,
    unitPrice: Money.of(current.unitPrice, current.currency),
    prices: prices.map((p) => Object.assign(new PartnerOfferPrice(), { unitPrice: Money.of(p.unitPrice, p.currency), effectiveFrom: new Date(p.effectiveFrom) })),
    attachesToOfferId: doc.attachesToOfferId ?? null,
    status: doc.status,
    publisher: PublisherRef.of(doc.publisherId),
    publishedAt: doc.publishedAt,
    retiredAt: doc.retiredAt ?? null,
  });
}

@InputType({ description: "A partner's own offer. Priced in the partner's currency." })
export class PublishPartnerOfferInput {
  @Field() name!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => PartnerOfferChargeType) chargeType!: PartnerOfferChargeType;
  @Field(() => MoneyInput, { description: 'Per unit and month (MONTHLY) or per unit once (ONE_TIME).' }) unitPrice!: MoneyInput;
  @Field(() => PartnerOfferFulfilment) fulfilment!: PartnerOfferFulfilment;
  @Field(() => ID, { nullable: true, description: 'Makes it an add-on, only sold with (and ending with) a subscription of this vendor offer.' })
  attachesToOfferId?: string | null;
}

export const PartnerOfferPayload = payload('PartnerOfferPayload', 'offer', PartnerOffer);
export type PartnerOfferPayload = InstanceType<typeof PartnerOfferPayload>;

