import { Schema, type Connection, type Model } from 'mongoose';

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

const schema = new Schema<NoteDoc>(
  { _id: String, ticketId: { type: String, required: true }, authorId: String, side: String, internal: Boolean, body: String, createdAt: Date },
  { versionKey: false },
);
schema.index({ ticketId: 1, _id: 1 });
export const noteModel = (conn: Connection): Model<NoteDoc> => (conn.models.TicketNote as Model<NoteDoc>) ?? conn.model<NoteDoc>('TicketNote', schema, 'ticket_notes');
