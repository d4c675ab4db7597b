import { docSchema, modelOn, required } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

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

const requestSchema = docSchema<RelationshipRequestDoc>({
  partnerId: required(String),
  customerId: required(String),
  requestedBy: required(String),
  expiresAt: required(Date),
  createdAt: required(Date),
});

const claimSchema = docSchema<RequestClaimDoc>({ claimedBy: required(String), claimedAt: required(Date) });

export const relationshipRequestModel = (conn: Connection): Model<RelationshipRequestDoc> => modelOn<RelationshipRequestDoc>(conn, 'RelationshipRequest', requestSchema, 'relationship_requests');

export const requestClaimModel = (conn: Connection): Model<RequestClaimDoc> => modelOn<RequestClaimDoc>(conn, 'RelationshipRequestClaim', claimSchema, 'relationship_request_claims');
