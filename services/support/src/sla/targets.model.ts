import { Schema, type Connection, type Model } from 'mongoose';

/** A handler's own targets for one severity (absent: the defaults). */
export interface TargetDoc {
  _id: string; // `${handlerKey}|${severity}`
  handlerKey: string;
  severity: string;
  firstResponseMinutes: number;
  resolutionMinutes: number;
  updatedAt: Date;
}

const schema = new Schema<TargetDoc>(
  { _id: String, handlerKey: { type: String, index: true }, severity: String, firstResponseMinutes: Number, resolutionMinutes: Number, updatedAt: Date },
  { versionKey: false },
);
export const targetModel = (conn: Connection): Model<TargetDoc> => (conn.models.SlaTarget as Model<TargetDoc>) ?? conn.model<TargetDoc>('SlaTarget', schema, 'sla_targets');
