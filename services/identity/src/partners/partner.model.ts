import type { Connection, Model } from 'mongoose';
import { outboxSchema, type Envelope, docSchema, modelOn } from '@csp/kernel';
import type { IdentityEvents } from '@csp/events';

/** A partner as stored: the profile partner.onboarded announces (its `partnerId` is `_id`). */
export interface PartnerDoc extends Omit<IdentityEvents['partner.onboarded'], 'partnerId'> {
  _id: string;
  createdAt: Date;
  outbox: Envelope[];
}

const schema = docSchema<PartnerDoc>({
  name: { type: String, required: true },
  tier: { type: String, required: true },
  country: { type: String, required: true },
  market: { type: String, required: true },
  currency: { type: String, required: true },
  taxId: String,
  adminAgentsGroupId: { type: String, required: true },
  createdAt: { type: Date, required: true },
  outbox: { type: [outboxSchema], default: [] },
});

export const partnerModel = (conn: Connection): Model<PartnerDoc> => modelOn<PartnerDoc>(conn, 'Partner', schema, 'partners');
