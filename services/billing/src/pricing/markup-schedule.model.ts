import { docSchema, modelOn, required } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

/**
 * A markup from a day on (`effectiveFrom`, today or later when set): the schedule of one
 * markup id (`CUSTOMER|seller|customer` or `RESELLER|distributor|reseller`). Setting the same day
 * again replaces that day's value; days already past are never re-priced.
 */
export interface MarkupVersionDoc {
  _id: string; // `${markupId}|${effectiveFrom}`
  markupId: string;
  markupPercent: string;
  effectiveFrom: string;
  setBy: string;
  setAt: Date;
}

const schema = docSchema<MarkupVersionDoc>({ markupId: required(String, { index: true }), markupPercent: String, effectiveFrom: String, setBy: String, setAt: Date });

export const markupScheduleModel = (conn: Connection): Model<MarkupVersionDoc> => modelOn<MarkupVersionDoc>(conn, 'MarkupVersion', schema, 'markup_schedule');
