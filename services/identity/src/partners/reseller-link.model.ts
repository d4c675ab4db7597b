import { Schema, type Connection, type Model } from 'mongoose';
import { outboxSchema, type Envelope } from '@csp/kernel';

/**
 * A distributor (indirect provider) sells through a reseller; a reseller may have several
 * distributors. One document per pair: the unique index makes linking idempotent under races.
 */
export interface ResellerLinkDoc {
  _id: string;
  distributorId: string;
  resellerId: string;
  createdAt: Date;
  outbox: Envelope[];
}

const schema = new Schema<ResellerLinkDoc>(
  {
    _id: String,
    distributorId: { type: String, required: true },
    resellerId: { type: String, required: true, index: true },
    createdAt: { type: Date, required: true },
    outbox: { type: [outboxSchema], default: [] },
  },
  { versionKey: false },
);
schema.index({ distributorId: 1, resellerId: 1 }, { unique: true });

export const resellerLinkModel = (conn: Connection): Model<ResellerLinkDoc> =>
  (conn.models.ResellerLink as Model<ResellerLinkDoc>) ?? conn.model<ResellerLinkDoc>('ResellerLink', schema, 'reseller_links');
