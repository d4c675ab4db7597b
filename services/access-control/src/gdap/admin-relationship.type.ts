import { graphqlEnum, entityRef, payload } from '@csp/kernel';
import { Field, ID, ObjectType } from 'type-graphql';
import type { AdminAccessDoc } from './admin-access.model';
import { effectiveStatus, type AdminRelationshipDoc, type AdminRelationshipStatus } from './admin-relationship.model';

export const AdminRelationshipStatusEnum = graphqlEnum('AdminRelationshipStatus', ['APPROVAL_PENDING', 'ACTIVE', 'EXPIRED', 'TERMINATED'], {
  description: 'APPROVAL_PENDING until the customer approves; ACTIVE until endsAt (then EXPIRED) or termination.',
});

@ObjectType({ description: 'A time-bound delegated admin relationship (GDAP) between a partner and a customer.' })
export class AdminRelationship {
  @Field(() => ID) id!: string;
  @Field(() => AdminRelationshipStatusEnum) status!: AdminRelationshipStatus;
  @Field({ description: 'ISO 8601, P1D to P2Y.' }) duration!: string;
  @Field(() => [String], { description: 'Role definitions (OWNER, CONTRIBUTOR, READER) the partner may hand to its groups on the whole customer.' })
  roles!: string[];
  @Field(() => ID) partnerId!: string;
  @Field(() => ID) customerId!: string;
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true }) approvedAt?: Date | null;
  @Field(() => Date, { nullable: true, description: 'Approval time + duration.' }) endsAt?: Date | null;
  @Field(() => Date, { nullable: true }) terminatedAt?: Date | null;
}

export function toAdminRelationship(doc: AdminRelationshipDoc, now: Date): AdminRelationship {
  return Object.assign(new AdminRelationship(), {
    id: doc._id,
    status: effectiveStatus(doc, now),
    duration: doc.duration,
    roles: doc.roles,
    partnerId: doc.partnerId,
    customerId: doc.customerId,
    createdAt: doc.createdAt,
    approvedAt: doc.approvedAt ?? null,
    endsAt: doc.endsAt ?? null,
    terminatedAt: doc.terminatedAt ?? null,
  });
}

/** Identity owns security groups; this subgraph only names them by id. */
export const SecurityGroupRef = entityRef('SecurityGroup', { resolvable: false });
export type SecurityGroupRef = InstanceType<typeof SecurityGroupRef>;

@ObjectType({ description: 'A partner security group given roles within a GDAP relationship.' })
export class AdminAccessAssignment {
  @Field(() => ID) id!: string;
  @Field(() => ID) relationshipId!: string;
  @Field(() => SecurityGroupRef) group!: SecurityGroupRef;
  @Field(() => [String]) roles!: string[];
}

export function toAdminAccess(doc: AdminAccessDoc): AdminAccessAssignment {
  return Object.assign(new AdminAccessAssignment(), {
    id: doc._id,
    relationshipId: doc.relationshipId,
    group: SecurityGroupRef.of(doc.groupId),
    roles: doc.roles,
  });
}

export const AdminRelationshipPayload = payload('AdminRelationshipPayload', 'relationship', AdminRelationship);
export type AdminRelationshipPayload = InstanceType<typeof AdminRelationshipPayload>;
export const AssignAdminAccessPayload = payload('AssignAdminAccessPayload', 'assignment', AdminAccessAssignment);
export type AssignAdminAccessPayload = InstanceType<typeof AssignAdminAccessPayload>;
