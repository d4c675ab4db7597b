import { Connection } from '@csp/kernel';
import { Field, ID, ObjectType } from 'type-graphql';
import { Ticket } from '../tickets/ticket.type';
import type { NoteDoc } from './note.model';

@ObjectType({ description: 'One entry of a ticket\'s thread.' })
export class TicketNote {
  @Field(() => ID) id!: string;
  @Field() body!: string;
  @Field() createdAt!: Date;
  @Field({ description: 'Visible only to the handling side.' }) internal!: boolean;
  authorId!: string;
}

export const toNote = (d: NoteDoc): TicketNote => Object.assign(new TicketNote(), { id: d._id, body: d.body, createdAt: d.createdAt, internal: d.internal, authorId: d.authorId });

export const TicketNoteConnection = Connection(TicketNote);

@ObjectType()
export class AddTicketNotePayload {
  @Field(() => Ticket) ticket!: Ticket;
  @Field(() => TicketNote) note!: TicketNote;
}
