import { Schema, type Connection, type Model } from 'mongoose';

export type ActivityKind = 'OPENED' | 'FIRST_RESPONSE' | 'STATUS_CHANGED' | 'ESCALATED' | 'ESCALATION_STATUS_CHANGED' | 'SLA_BREACHED';

/** A line of a ticket's activity, written from support's own events (id: the event's). */
export interface ActivityDoc {
  _id: string;
  ticketId: string;
  at: Date;
  kind: ActivityKind;
  status?: string;
  message: string;
}

const schema = new Schema<ActivityDoc>({ _id: String, ticketId: { type: String, index: true }, at: Date, kind: String, status: String, message: String }, { versionKey: false });
export const activityModel = (conn: Connection): Model<ActivityDoc> =>
  (conn.models.TicketActivity as Model<ActivityDoc>) ?? conn.model<ActivityDoc>('TicketActivity', schema, 'ticket_activity');
