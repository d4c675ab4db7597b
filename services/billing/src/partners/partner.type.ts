import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Identity's Partner, extended here with what it owes and has not been invoiced for yet. */
@Directive('@key(fields: "id")')
@ObjectType('Partner')
export class PartnerRef {
  @Field(() => ID) id!: string;
}
