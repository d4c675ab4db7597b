import { projectionFields } from '@csp/kernel';
import { Schema, type Connection, type Model } from 'mongoose';

/** A partner–customer (reseller) relationship: the first step of tier-2 access. */
export interface RelationshipDoc {
  _id: string;
  partnerId: string;
  customerId: string;
  status: 'ACTIVE' | 'REVOKED';
  at?: Date;
}

const schema = new Schema<RelationshipDoc>(
  { _id: String, partnerId: String, customerId: String, status: String, ...projectionFields },
  { versionKey: false },
);

export const relationshipId = (partnerId: string, customerId: string) => `${partnerId}|${customerId}`;

export const relationshipModel = (conn: Connection): Model<RelationshipDoc> =>
  (conn.models.Relationship as Model<RelationshipDoc>) ?? conn.model<RelationshipDoc>('Relationship', schema, 'relationships');
