import { Field, ID, InputType, ObjectType } from 'type-graphql';

@InputType()
export class CreateClientInput {
  @Field() name!: string;
  @Field(() => [String], { description: 'e.g. ["usage:write"] for the usage connector.' }) scopes!: string[];
  @Field(() => ID, { nullable: true, description: "A partner's integration acts for this partner." }) partnerId?: string | null;
}

@ObjectType()
export class CreateClientPayload {
  @Field(() => ID) clientId!: string;
  @Field({ description: 'Shown once; only its hash is kept.' }) clientSecret!: string;
  @Field() name!: string;
  @Field(() => [String]) scopes!: string[];
}

@ObjectType()
export class ClientTokenPayload {
  @Field({ description: 'Bearer token for the Authorization header.' }) accessToken!: string;
  @Field() expiresAt!: Date;
  @Field(() => [String]) scopes!: string[];
}
