import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Identity's Customer, extended here with its invoices. */
@Directive('@key(fields: "id")')
@ObjectType('Customer')
export class CustomerRef {
  @Field(() => ID) id!: string;
}
