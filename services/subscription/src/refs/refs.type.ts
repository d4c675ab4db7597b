import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Identity's Customer, extended here with its subscriptions. */
@Directive('@key(fields: "id")')
@ObjectType('Customer')
export class CustomerRef {
  @Field(() => ID) id!: string;
}

/** Identity's Partner, extended here with the subscriptions it sells or bills. */
@Directive('@key(fields: "id")')
@ObjectType('Partner')
export class PartnerRef {
  @Field(() => ID) id!: string;
}

/** Catalog's Offer: referenced only, catalog resolves its fields. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Offer')
export class OfferRef {
  @Field(() => ID) id!: string;
}

export const customerRef = (id: string) => Object.assign(new CustomerRef(), { id });
export const partnerRef = (id: string) => Object.assign(new PartnerRef(), { id });
export const offerRef = (id: string) => Object.assign(new OfferRef(), { id });
