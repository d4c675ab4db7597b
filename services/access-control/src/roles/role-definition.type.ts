import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A named set of actions that a role assignment grants on a scope and below it.' })
export class RoleDefinition {
  @Field() name!: string;
  @Field() description!: string;
  @Field(() => [String]) actions!: string[];
  @Field() builtIn!: boolean;
}
