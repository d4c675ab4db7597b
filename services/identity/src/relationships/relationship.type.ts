import { graphqlEnum, payload } from '@csp/kernel';
import { Field, ID, ObjectType } from 'type-graphql';
import type { RelationshipDoc, RelationshipStatus } from './relationship.model';

export const RelationshipStatusEnum = graphqlEnum('RelationshipStatus', ['ACTIVE', 'REVOKED']);

@ObjectType({ description: 'A reseller relationship between a partner and a customer (a customer may have several).' })
export class Relationship {
  @Field(() => ID) id!: string;
  @Field(() => RelationshipStatusEnum) status!: RelationshipStatus;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
  partnerId!: string;
  customerId!: string;
}

export function toRelationship(doc: RelationshipDoc): Relationship {
  return Object.assign(new Relationship(), {
    id: doc._id,
    status: doc.status,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    partnerId: doc.partnerId,
    customerId: doc.customerId,
  });
}

@ObjectType({ description: 'Hand the code to the customer; its admin accepts it once, before it expires.' })
export class RelationshipRequest {
  @Field() code!: string;
  @Field() expiresAt!: Date;
}

export const RelationshipPayload = payload('RelationshipPayload', 'relationship', Relationship);
export type RelationshipPayload = InstanceType<typeof RelationshipPayload>;
