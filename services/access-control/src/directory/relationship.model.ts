import { projectionFields, docSchema, modelOn } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

/** A partner–customer (reseller) relationship: the first step of tier-2 access. */
export interface RelationshipDoc {
  _id: string;
  partnerId: string;
  customerId: string;
  status: 'ACTIVE' | 'REVOKED';
  at?: Date;
}

const schema = docSchema<RelationshipDoc>({ partnerId: String, customerId: String, status: String, ...projectionFields });

export const relationshipId = (partnerId: string, customerId: string) => `${partnerId}|${customerId}`;

export const relationshipModel = (conn: Connection): Model<RelationshipDoc> => modelOn<RelationshipDoc>(conn, 'Relationship', schema, 'relationships');
