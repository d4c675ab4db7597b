import type { Connection, Model } from 'mongoose';
import { outboxSchema, type Envelope, docSchema, modelOn } from '@csp/kernel';
import type { PartnerTier } from '@csp/events';

export interface PartnerDoc {
  _id: string;
  name: string;
  tier: PartnerTier;
  /** ISO 3166-1 alpha-2; decides the market. */
  country: string;
  /** Market code (catalog's), from the country at onboarding. */
  market: string;
  /** Agreed with the vendor; defaults to the market's. */
  currency: string;
  /** Optional VAT number (validated for shape). */
  taxId?: string;
  adminAgentsGroupId: string;
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
