import { projectionFields } from '@csp/kernel';
import { Schema, type Connection, type Model } from 'mongoose';
import type { PartnerTier } from '@csp/events';

/** What access-control knows of a partner (from partner.onboarded / reseller.linked). */
export interface PartnerDoc {
  _id: string;
  tier?: PartnerTier;
  adminAgentsGroupId?: string;
  distributorIds: string[];
}

const schema = new Schema<PartnerDoc>(
  { _id: String, tier: String, adminAgentsGroupId: String, distributorIds: { type: [String], default: [] }, ...projectionFields },
  { versionKey: false },
);

export const partnerModel = (conn: Connection): Model<PartnerDoc> =>
  (conn.models.Partner as Model<PartnerDoc>) ?? conn.model<PartnerDoc>('Partner', schema, 'partners');
