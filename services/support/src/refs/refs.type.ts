import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Identity's entities and others' objects a ticket points at: referenced only, their owners resolve the fields. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Partner')
export class PartnerRef {
  @Field(() => ID) id!: string;
}

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Customer')
export class CustomerRef {
  @Field(() => ID) id!: string;
}

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('User')
export class UserRef {
  @Field(() => ID) id!: string;
}

/** The subscription service's CloudSubscription. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('CloudSubscription')
export class CloudSubscriptionRef {
  @Field(() => ID) id!: string;
}

/** Billing's Invoice (billing checks the viewer may see it). */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Invoice')
export class InvoiceRef {
  @Field(() => ID) id!: string;
}

export const ref = <T extends { id: string }>(cls: new () => T, id: string): T => Object.assign(new cls(), { id });
