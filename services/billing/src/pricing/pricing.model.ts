import { docSchema, modelOn } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

/**
 * A markup one party set for the next tier down: a selling partner on one customer
 * (`CUSTOMER|sellerId|customerId`), a distributor on one reseller (`RESELLER|distributorId|resellerId`).
 * Legacy (before markups were dated): such a value applies from the beginning unless the
 * markup has a schedule (markup-schedule.model.ts); absent means 0. No longer written.
 */
export interface MarkupDoc {
  _id: string;
  setBy: string;
  markupPercent: string;
  updatedAt: Date;
}

const schema = docSchema<MarkupDoc>({ setBy: String, markupPercent: String, updatedAt: Date });

export const markupModel = (conn: Connection): Model<MarkupDoc> => modelOn<MarkupDoc>(conn, 'Markup', schema, 'markups');

export const customerMarkupId = (sellerId: string, customerId: string) => `CUSTOMER|${sellerId}|${customerId}`;
export const resellerMarkupId = (distributorId: string, resellerId: string) => `RESELLER|${distributorId}|${resellerId}`;
