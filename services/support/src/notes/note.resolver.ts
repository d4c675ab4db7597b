import { authorize, paginate, PageArgs, requireCaller, type ConnectionShape } from '@csp/kernel';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { SupportContext } from '../context';
import { UserRef } from '../refs/refs.type';
import { TicketStatus } from '../tickets/ticket.enums';
import { Ticket, toTicket } from '../tickets/ticket.type';
import { sideOf } from '../tickets/visibility';
import type { NoteDoc } from './note.model';
import { AddTicketNotePayload, TicketNote, TicketNoteConnection, toNote } from './note.type';

@Resolver(() => Ticket)
export class TicketNotesResolver {
  @FieldResolver(() => TicketNoteConnection, { description: 'The thread, oldest first; internal notes only for the handling side.' })
  async notes(@Root() t: Ticket, @Args() page: PageArgs, @Ctx() ctx: SupportContext): Promise<ConnectionShape<TicketNote>> {
    const handler = sideOf(requireCaller(ctx), t.doc) === 'HANDLER';
    return paginate<NoteDoc, TicketNote>(ctx.deps.models.notes, handler ? { ticketId: t.id } : { ticketId: t.id, internal: false }, page, toNote);
  }

  @Mutation(() => AddTicketNotePayload, {
    description:
      'Either side adds to the thread. A handling-side note on an unanswered ticket is its first response; setStatus asks for information (ATTENTION_NEEDED, handler only), closes, or reopens within 14 days. Notes on a closed ticket: BAD_USER_INPUT.',
  })
  async addTicketNote(
    @Arg('ticketId', () => ID) ticketId: string,
    @Arg('body', { description: '1 to 10000 characters.' }) body: string,
    @Arg('setStatus', () => TicketStatus, { nullable: true }) setStatus: TicketStatus | null,
    @Arg('internal', () => Boolean, { nullable: true, description: 'Handling side only: a note the requester never sees.' }) internal: boolean | null,
    @Ctx() ctx: SupportContext,
  ): Promise<AddTicketNotePayload> {
    authorize(ctx, 'addTicketNote');
    const r = await ctx.deps.tickets.addNote(requireCaller(ctx), ticketId, body, setStatus, internal ?? false);
    return Object.assign(new AddTicketNotePayload(), { ticket: toTicket(r.ticket), note: toNote(r.note) });
  }
}

@Resolver(() => TicketNote)
export class TicketNoteResolver {
  @FieldResolver(() => UserRef)
  author(@Root() n: TicketNote): UserRef {
    return UserRef.of(n.authorId);
  }
}
