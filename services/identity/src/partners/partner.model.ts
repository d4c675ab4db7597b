import type { Connection, Model } from 'mongoose';
import { outboxField, type Envelope, docSchema, modelOn, required, changesCache } from '@csp/kernel';
import { PARTNERS } from '../visibility/directory';
import type { IdentityEvents } from '@csp/events';

/** A partner as stored: the profile partner.onboarded announces (its `partnerId` is `_id`). */
export interface PartnerDoc extends Omit<IdentityEvents['partner.onboarded'], 'partnerId'> {
  _id: string;
  createdAt: Date;
  outbox: Envelope[];
}

const schema = docSchema<PartnerDoc>({
  name: required(String),
  tier: required(String),
  country: required(String),
  market: required(String),
  currency: required(String),
  taxId: String,
  adminAgentsGroupId: required(String),
  createdAt: required(Date),
  outbox: outboxField(),
});

// Cached per process (visibility/directory.ts): every write drops the cached copy.
changesCache(schema, PARTNERS);

export const partnerModel = (conn: Connection): Model<PartnerDoc> => modelOn<PartnerDoc>(conn, 'Partner', schema, 'partners');
