import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The subscription service's CloudSubscription, extended here with its unbilled charges. */
@Directive('@key(fields: "id")')
@ObjectType('CloudSubscription')
export class CloudSubscriptionRef {
  @Field(() => ID) id!: string;
}
