import { graphqlEnum, payload } from '@csp/kernel';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import type { GroupDoc, GroupOwnerKind } from './group.model';

export const GroupOwnerKindEnum = graphqlEnum('SecurityGroupOwnerKind', ['PARTNER', 'CUSTOMER']);

@Directive('@key(fields: "id")')
@ObjectType({ description: "A named set of one partner's or one customer's users; roles can be granted to it." })
export class SecurityGroup {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => GroupOwnerKindEnum) ownerKind!: GroupOwnerKind;
  @Field(() => ID, { description: 'The partner or customer id.' }) ownerId!: string;
  memberIds!: string[];
}

export function toGroup(doc: GroupDoc): SecurityGroup {
  return Object.assign(new SecurityGroup(), { id: doc._id, name: doc.name, ownerKind: doc.ownerKind, ownerId: doc.ownerId, memberIds: doc.memberIds });
}

export const CreateSecurityGroupPayload = payload('CreateSecurityGroupPayload', 'group', SecurityGroup);
export type CreateSecurityGroupPayload = InstanceType<typeof CreateSecurityGroupPayload>;
export const SecurityGroupPayload = payload('SecurityGroupPayload', 'group', SecurityGroup);
export type SecurityGroupPayload = InstanceType<typeof SecurityGroupPayload>;
