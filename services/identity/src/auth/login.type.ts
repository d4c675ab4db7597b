import { Field, ObjectType } from 'type-graphql';
import { User } from '../users/user.type';

@ObjectType()
export class LoginPayload {
  @Field({ description: 'Bearer token for the Authorization header.' }) accessToken!: string;
  @Field() expiresAt!: Date;
  @Field(() => User) viewer!: User;
}
