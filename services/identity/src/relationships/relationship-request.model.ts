import { Schema, type Connection, type Model } from 'mongoose';

/** A partner's request to a customer; the code is a bearer secret, so only its hash is kept. */
export interface RelationshipRequestDoc {
  /** SHA-256 of the code (hex). */
  _id: string;
  partnerId: string;
  customerId: string;
  requestedBy: string;
  expiresAt: Date;
  createdAt: Date;
}

/** Insert-to-claim: the unique `_id` (the request's) makes a code single-use under any race. */
export interface RequestClaimDoc {
  _id: string;
  claimedBy: string;
  claimedAt: Date;
}

const requestSchema = new Schema<RelationshipRequestDoc>(
  {
    _id: String,
    partnerId: { type: String, required: true },
    customerId: { type: String, required: true },
    requestedBy: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);

const claimSchema = new Schema<RequestClaimDoc>(
  { _id: String, claimedBy: { type: String, required: true }, claimedAt: { type: Date, required: true } },
  { versionKey: false },
);

export const relationshipRequestModel = (conn: Connection): Model<RelationshipRequestDoc> =>
  (conn.models.RelationshipRequest as Model<RelationshipRequestDoc>) ??
  conn.model<RelationshipRequestDoc>('RelationshipRequest', requestSchema, 'relationship_requests');

export const requestClaimModel = (conn: Connection): Model<RequestClaimDoc> =>
  (conn.models.RelationshipRequestClaim as Model<RequestClaimDoc>) ??
  conn.model<RequestClaimDoc>('RelationshipRequestClaim', claimSchema, 'relationship_request_claims');
