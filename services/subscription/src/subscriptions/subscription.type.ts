import { Directive, Field, ID, ObjectType } from 'type-graphql';

@Directive('@key(fields: "id")')
@ObjectType('CloudSubscription', {
  description: "A customer's subscription to one offer. (Not `Subscription`: that name is GraphQL's root type for live updates.)",
})
export class CloudSubscription {
  @Field(() => ID) id!: string;
}
