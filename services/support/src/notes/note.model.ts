import { docSchema, modelOn, required } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

/** One entry of a ticket's thread; internal notes are for the handling side only. */
export interface NoteDoc {
  _id: string;
  ticketId: string;
  authorId: string;
  side: 'HANDLER' | 'REQUESTER';
  internal: boolean;
  body: string;
  createdAt: Date;
}

const schema = docSchema<NoteDoc>({ ticketId: required(String), authorId: String, side: String, internal: Boolean, body: String, createdAt: Date });
schema.index({ ticketId: 1, _id: 1 });
export const noteModel = (conn: Connection): Model<NoteDoc> => modelOn<NoteDoc>(conn, 'TicketNote', schema, 'ticket_notes');
