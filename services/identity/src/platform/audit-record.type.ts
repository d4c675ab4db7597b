import { Connection } from '@csp/kernel';
import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Who acted: a user, or a machine client.' })
export class AuditActor {
  @Field(() => ID) id!: string;
  @Field() kind!: string;
}

@ObjectType({ description: 'One change: who, what, when, on which object, in which service.' })
export class AuditRecord {
  @Field(() => ID) id!: string;
  @Field() at!: Date;
  @Field(() => AuditActor) actor!: AuditActor;
  @Field({ description: '<service>.<mutation>, e.g. access-control.grantRole' }) action!: string;
  @Field(() => ID, { nullable: true }) targetId?: string | null;
  @Field() service!: string;
  @Field(() => String, { nullable: true }) requestId?: string | null;
  @Field({ description: 'DONE, or DENIED: a mutation refused for who asked (FORBIDDEN, NOT_FOUND, UNAUTHENTICATED).' }) outcome!: string;
  @Field(() => String, { nullable: true, description: 'Why a DENIED attempt was refused (error code and message).' }) reason?: string | null;
}

@ObjectType()
export class AuditRecordConnection extends Connection(AuditRecord) {}
