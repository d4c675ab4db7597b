import { graphqlEnum, entityRef, payload } from '@csp/kernel';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import type { AssignmentDoc, PrincipalKind } from './assignment.model';

export const PrincipalKindEnum = graphqlEnum('PrincipalKind', ['USER', 'GROUP'], { description: 'A user or a security group.' });

@ObjectType({ description: 'Who a role is assigned to: a user (usr_…) or a security group (grp_…).' })
export class Principal {
  @Field(() => ID) id!: string;
  @Field(() => PrincipalKindEnum) kind!: PrincipalKind;
}

/** Identity owns users; this subgraph only names them by id. */
export const UserRef = entityRef('User', { resolvable: false });
export type UserRef = InstanceType<typeof UserRef>;

@ObjectType({ description: 'A role held by a principal on a scope and everything below it.' })
export class RoleAssignment {
  @Field(() => ID) id!: string;
  @Field({ description: 'OWNER, CONTRIBUTOR, READER (or a custom role).' }) role!: string;
  @Field({ description: 'e.g. /customers/{c}/subscriptions/{s}' }) scope!: string;
  @Field(() => Principal) principal!: Principal;
  @Field(() => UserRef, { nullable: true, description: 'Null when the platform granted it on provisioning.' })
  grantedBy?: UserRef | null;
  @Field() createdAt!: Date;
}

export function toAssignment(doc: AssignmentDoc): RoleAssignment {
  return Object.assign(new RoleAssignment(), {
    id: doc._id,
    role: doc.role,
    scope: doc.scope,
    principal: Object.assign(new Principal(), { id: doc.principalId, kind: doc.principalKind }),
    grantedBy: doc.grantedBy ? UserRef.of(doc.grantedBy) : null,
    createdAt: doc.createdAt,
  });
}

@InputType()
export class GrantRoleInput {
  @Field(() => ID, { description: 'A user id (usr_…) or a security group id (grp_…).' }) principalId!: string;
  @Field({ description: 'OWNER | CONTRIBUTOR | READER' }) role!: string;
  @Field() scope!: string;
}

@ObjectType()
export class GrantRolePayload {
  @Field(() => RoleAssignment) assignment!: RoleAssignment;
  @Field(() => [String], { description: 'Advice the grant succeeded despite, e.g. Owner given to a customer.' })
  warnings!: string[];
}

export const RevokeRolePayload = payload('RevokeRolePayload', 'assignment', RoleAssignment, { description: 'The assignment as it was before removal.' });
export type RevokeRolePayload = InstanceType<typeof RevokeRolePayload>;
