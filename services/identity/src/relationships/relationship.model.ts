import { Schema, type Connection, type Model } from 'mongoose';
import { outboxSchema, type Envelope } from '@csp/kernel';

export type RelationshipStatus = 'ACTIVE' | 'REVOKED';

/** A reseller relationship: the partner may sell to and serve the customer while ACTIVE. */
export interface RelationshipDoc {
  /** `rel:{partnerId}:{customerId}`: one document per pair, so the pair is unique by `_id`. */
  _id: string;
  partnerId: string;
  customerId: string;
  status: RelationshipStatus;
  createdAt: Date;
  updatedAt: Date;
  outbox: Envelope[];
}

const schema = new Schema<RelationshipDoc>(
  {
    _id: String,
    partnerId: { type: String, required: true },
    customerId: { type: String, required: true, index: true },
    status: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    outbox: { type: [outboxSchema], default: [] },
  },
  { versionKey: false },
);
schema.index({ partnerId: 1, status: 1 });

export const relationshipId = (partnerId: string, customerId: string) => `rel:${partnerId}:${customerId}`;

export const relationshipModel = (conn: Connection): Model<RelationshipDoc> =>
  (conn.models.Relationship as Model<RelationshipDoc>) ?? conn.model<RelationshipDoc>('Relationship', schema, 'relationships');
