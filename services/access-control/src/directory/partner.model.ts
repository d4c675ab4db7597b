import { projectionFields, docSchema, modelOn } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';
import type { PartnerTier } from '@csp/events';

/** What access-control knows of a partner (from partner.onboarded / reseller.linked). */
export interface PartnerDoc {
  _id: string;
  tier?: PartnerTier;
  adminAgentsGroupId?: string;
  distributorIds: string[];
}

const schema = docSchema<PartnerDoc>({ tier: String, adminAgentsGroupId: String, distributorIds: { type: [String], default: [] }, ...projectionFields });

export const partnerModel = (conn: Connection): Model<PartnerDoc> => modelOn<PartnerDoc>(conn, 'Partner', schema, 'partners');
