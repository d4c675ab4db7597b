import type { Connection, Model } from 'mongoose';
import { outboxField, type Envelope, docSchema, modelOn, required, changesCache } from '@csp/kernel';
import { DIRECTORY } from '../visibility/directory';

/**
 * PENDING: the distributor invited the reseller; it opens nothing. ACTIVE: the reseller's admin
 * accepted; only then does the distributor see the reseller's customers or sell on its behalf.
 * Links written before consent existed have no status and count as PENDING.
 */
export type ResellerLinkStatus = 'PENDING' | 'ACTIVE';

/**
 * A distributor (indirect provider) sells through a reseller; a reseller may have several
 * distributors. One document per pair: the unique index makes inviting idempotent under races.
 */
export interface ResellerLinkDoc {
  _id: string;
  distributorId: string;
  resellerId: string;
  status: ResellerLinkStatus;
  createdAt: Date;
  acceptedAt?: Date;
  outbox: Envelope[];
}

const schema = docSchema<ResellerLinkDoc>({
  distributorId: required(String),
  resellerId: required(String, { index: true }),
  status: { type: String, required: true, default: 'PENDING' },
  createdAt: required(Date),
  acceptedAt: { type: Date },
  outbox: outboxField(),
});
schema.index({ distributorId: 1, resellerId: 1 }, { unique: true });

// Cached per process (visibility/directory.ts): every write drops the cached copy.
changesCache(schema, DIRECTORY);

export const resellerLinkModel = (conn: Connection): Model<ResellerLinkDoc> => modelOn<ResellerLinkDoc>(conn, 'ResellerLink', schema, 'reseller_links');

/** The filter every reader of links uses: only an accepted link opens anything. */
export const ACTIVE_LINK = { status: 'ACTIVE' } as const;
