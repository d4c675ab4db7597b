import type { Connection, Model } from 'mongoose';
import { outboxField, type Envelope, docSchema, modelOn, required, changesCache } from '@csp/kernel';
import { DIRECTORY } from '../visibility/directory';

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

const schema = docSchema<RelationshipDoc>({
  partnerId: required(String),
  customerId: required(String, { index: true }),
  status: required(String),
  createdAt: required(Date),
  updatedAt: required(Date),
  outbox: outboxField(),
});
schema.index({ partnerId: 1, status: 1 });

export const relationshipId = (partnerId: string, customerId: string) => `rel:${partnerId}:${customerId}`;

// Cached per process (visibility/directory.ts): every write drops the cached copy.
changesCache(schema, DIRECTORY);

export const relationshipModel = (conn: Connection): Model<RelationshipDoc> => modelOn<RelationshipDoc>(conn, 'Relationship', schema, 'relationships');
