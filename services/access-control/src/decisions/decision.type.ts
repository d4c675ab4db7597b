import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Whether the caller may perform an action on a scope, and why.' })
export class AccessDecision {
  @Field() allowed!: boolean;
  @Field() reason!: string;
}
