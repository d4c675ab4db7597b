import { docSchema, modelOn } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

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

const schema = docSchema<ActivityDoc>({ ticketId: { type: String, index: true }, at: Date, kind: String, status: String, message: String });
export const activityModel = (conn: Connection): Model<ActivityDoc> => modelOn<ActivityDoc>(conn, 'TicketActivity', schema, 'ticket_activity');
