import { docSchema, modelOn } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

/** A handler's own targets for one severity (absent: the defaults). */
export interface TargetDoc {
  _id: string; // `${handlerKey}|${severity}`
  handlerKey: string;
  severity: string;
  firstResponseMinutes: number;
  resolutionMinutes: number;
  updatedAt: Date;
}

const schema = docSchema<TargetDoc>({ handlerKey: { type: String, index: true }, severity: String, firstResponseMinutes: Number, resolutionMinutes: Number, updatedAt: Date });
export const targetModel = (conn: Connection): Model<TargetDoc> => modelOn<TargetDoc>(conn, 'SlaTarget', schema, 'sla_targets');
