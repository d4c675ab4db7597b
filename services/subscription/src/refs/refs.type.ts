import { entityRef } from '@csp/kernel';
import { Directive, Field, ID, InterfaceType, ObjectType } from 'type-graphql';

/** Identity's Customer, extended here with its subscriptions. */
export const CustomerRef = entityRef('Customer', { resolvable: true });
export type CustomerRef = InstanceType<typeof CustomerRef>;

/** Identity's Partner, extended here with the subscriptions it sells or bills. */
export const PartnerRef = entityRef('Partner', { resolvable: true });
export type PartnerRef = InstanceType<typeof PartnerRef>;

/** What a partner may order for a customer: a vendor Offer or its own PartnerOffer. */
@InterfaceType('OrderableOffer', {
  description: "Something the caller may order for a customer: the vendor's Offer or the caller's own PartnerOffer.",
  resolveType: (v: { chargeType?: unknown }) => (v.chargeType ? 'PartnerOffer' : 'Offer'),
})
export abstract class OrderableOffer {
  @Field(() => ID) id!: string;
  @Field() name!: string;
}

/**
 * Catalog's Offer: referenced (catalog resolves its other fields), named here from this
 * service's copy of the catalog so orderable offers list in one fetch.
 */
@Directive('@shareable')
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Offer', { implements: OrderableOffer })
export class OfferRef extends OrderableOffer {
}

export const offerRef = (id: string) => Object.assign(new OfferRef(), { id });
