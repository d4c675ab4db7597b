import { authorize, badInput, connectionFrom, decodeCursor, pageSize, PageArgs, requireCaller, type ConnectionShape } from '@csp/kernel';
import type { QueryFilter } from 'mongoose';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { SupportContext } from '../context';
import { CloudSubscriptionRef, CustomerRef, InvoiceRef, PartnerRef, UserRef } from '../refs/refs.type';
import { TicketSeverity, TicketSide, TicketStatus } from './ticket.enums';
import type { TicketDoc } from './ticket.model';
import { AssignTicketPayload, EscalateTicketPayload, handlerOf, OpenTicketInput, OpenTicketPayload, Ticket, TicketConnection, TicketHandler, toTicket } from './ticket.type';
import { visibleTickets } from './visibility';

@ArgsType()
class TicketsArgs extends PageArgs {
  @Field(() => TicketStatus, { nullable: true }) status?: TicketStatus;
  @Field(() => TicketSeverity, { nullable: true }) severity?: TicketSeverity;
  @Field(() => TicketSide, { nullable: true, description: 'Partners: only the tickets addressed to you (HANDLING) or only those you raised (REQUESTING).' })
  side?: TicketSide;
}

/** A ticket is overdue while not closed and past its first-response (unanswered) or resolution target. */
export function isOverdue(t: TicketDoc, now: Date): boolean {
  if (t.status === TicketStatus.CLOSED) return false;
  return (!t.firstResponded && now > t.firstResponseDueAt) || now > t.resolutionDueAt;
}

// Newest activity first: the cursor is (updatedAt, id), both descending.
const cursorKey = (t: TicketDoc) => `${t.updatedAt.getTime()}|${t._id}`;
function afterFilter(after: string): QueryFilter<TicketDoc> {
  const [ms, id] = decodeCursor(after).split('|');
  const at = new Date(Number(ms));
  if (!id || Number.isNaN(at.getTime())) throw badInput('`after` is not a cursor this list handed out.', 'after');
  return { $or: [{ updatedAt: { $lt: at } }, { updatedAt: at, _id: { $lt: id } }] };
}

@Resolver(() => Ticket)
export class TicketResolver {
  @Query(() => Ticket, { description: 'One ticket with its thread: the requester\'s tenant, the handling partner\'s support staff (the operator for the vendor\'s queue); else NOT_FOUND.' })
  async ticket(@Arg('id', () => ID) id: string, @Ctx() ctx: SupportContext): Promise<Ticket> {
    authorize(ctx, 'ticket');
    return toTicket(await ctx.deps.tickets.visible(requireCaller(ctx), id));
  }

  @Query(() => TicketConnection, { description: 'A partner\'s inbox and the tickets it raised, a customer\'s own tickets, the operator\'s vendor queue; newest activity first.' })
  async tickets(@Args() args: TicketsArgs, @Ctx() ctx: SupportContext): Promise<ConnectionShape<Ticket>> {
    authorize(ctx, 'tickets');
    const caller = requireCaller(ctx);
    const size = pageSize(args.first);
    const visible = visibleTickets(caller);
    if (!visible) return connectionFrom<TicketDoc, Ticket>([], false, false, 0, cursorKey, toTicket);
    const parts: QueryFilter<TicketDoc>[] = [visible];
    if (args.status) parts.push({ status: args.status });
    if (args.severity) parts.push({ severity: args.severity });
    if (args.side) {
      const pid = caller.partnerId;
      if (caller.kind !== 'PARTNER_USER' || !pid) throw badInput('side applies to partner users only.', 'side');
      parts.push(args.side === TicketSide.HANDLING ? { handlerKey: pid } : { requesterPartnerId: pid });
    }
    const filter = { $and: parts };
    const page = args.after ? { $and: [...parts, afterFilter(args.after)] } : filter;
    const [docs, totalCount] = await Promise.all([
      ctx.deps.models.tickets.find(page, { outbox: 0 }).sort({ updatedAt: -1, _id: -1 }).limit(size + 1).lean<TicketDoc[]>(),
      ctx.deps.models.tickets.countDocuments(filter),
    ]);
    return connectionFrom(docs.slice(0, size), docs.length > size, !!args.after, totalCount, cursorKey, toTicket);
  }

  @Mutation(() => OpenTicketPayload, { description: 'Opens a ticket with your partner (customers), your distributor (resellers) or the vendor (direct providers, distributors); anyone else: FORBIDDEN.' })
  async openTicket(@Arg('input', () => OpenTicketInput) input: OpenTicketInput, @Ctx() ctx: SupportContext): Promise<OpenTicketPayload> {
    authorize(ctx, 'openTicket');
    const doc = await ctx.deps.tickets.open(requireCaller(ctx), input);
    return Object.assign(new OpenTicketPayload(), { ticket: toTicket(doc) });
  }

  @Mutation(() => EscalateTicketPayload, { description: 'The handling partner escalates to the next level up (reseller → distributor, partner → vendor): a new ticket linked to this one.' })
  async escalateTicket(@Arg('ticketId', () => ID) ticketId: string, @Arg('description') description: string, @Ctx() ctx: SupportContext): Promise<EscalateTicketPayload> {
    authorize(ctx, 'escalateTicket');
    const esc = await ctx.deps.tickets.escalate(requireCaller(ctx), ticketId, description);
    return Object.assign(new EscalateTicketPayload(), { escalation: toTicket(esc) });
  }

  @Mutation(() => AssignTicketPayload, { description: 'The handling side assigns the ticket to one of its support staff (HELPDESK_AGENT or ADMIN); null unassigns.' })
  async assignTicket(
    @Arg('ticketId', () => ID) ticketId: string,
    @Arg('userId', () => ID, { nullable: true }) userId: string | null,
    @Ctx() ctx: SupportContext,
  ): Promise<AssignTicketPayload> {
    authorize(ctx, 'assignTicket');
    const doc = await ctx.deps.tickets.assign(requireCaller(ctx), ticketId, userId ?? null);
    return Object.assign(new AssignTicketPayload(), { ticket: toTicket(doc) });
  }

  @FieldResolver(() => Boolean, { description: 'Not closed and past its first-response target without an answer, or past its resolution target (platform clock).' })
  overdue(@Root() t: Ticket, @Ctx() ctx: SupportContext): boolean {
    return isOverdue(t.doc, ctx.deps.clock.now());
  }

  @FieldResolver(() => UserRef, { description: 'The user who opened it.' })
  requester(@Root() t: Ticket): UserRef {
    return UserRef.of(t.doc.requesterUserId);
  }

  @FieldResolver(() => CustomerRef, { nullable: true, description: 'The requesting customer (customer tickets).' })
  requesterCustomer(@Root() t: Ticket): CustomerRef | null {
    return t.doc.requesterCustomerId ? CustomerRef.of(t.doc.requesterCustomerId) : null;
  }

  @FieldResolver(() => PartnerRef, { nullable: true, description: 'The requesting partner (reseller and partner-to-vendor tickets).' })
  requesterPartner(@Root() t: Ticket): PartnerRef | null {
    return t.doc.requesterPartnerId ? PartnerRef.of(t.doc.requesterPartnerId) : null;
  }

  @FieldResolver(() => TicketHandler)
  handledBy(@Root() t: Ticket, @Ctx() ctx: SupportContext): typeof TicketHandler {
    return handlerOf(t.doc, ctx.deps.settings.SUPPORT_VENDOR_NAME);
  }

  @FieldResolver(() => UserRef, { nullable: true, description: 'The handling side\'s staff member working on it.' })
  assignee(@Root() t: Ticket): UserRef | null {
    return t.doc.assigneeId ? UserRef.of(t.doc.assigneeId) : null;
  }

  @FieldResolver(() => CloudSubscriptionRef, { nullable: true })
  subscription(@Root() t: Ticket): CloudSubscriptionRef | null {
    return t.doc.subscriptionId ? CloudSubscriptionRef.of(t.doc.subscriptionId) : null;
  }

  @FieldResolver(() => InvoiceRef, { nullable: true })
  invoice(@Root() t: Ticket): InvoiceRef | null {
    return t.doc.invoiceId ? InvoiceRef.of(t.doc.invoiceId) : null;
  }

  @FieldResolver(() => Ticket, { nullable: true, description: 'The ticket this one escalates, when the caller may see it.' })
  async escalatedFrom(@Root() t: Ticket, @Ctx() ctx: SupportContext): Promise<Ticket | null> {
    if (!t.doc.parentTicketId) return null;
    const doc = await ctx.loaders.visibleTicket.load(t.doc.parentTicketId);
    return doc ? toTicket(doc) : null;
  }

  @FieldResolver(() => Ticket, { nullable: true, description: 'An earlier ticket the requester named, when the caller may see it.' })
  async relatedTicket(@Root() t: Ticket, @Ctx() ctx: SupportContext): Promise<Ticket | null> {
    if (!t.doc.relatedTicketId) return null;
    const doc = await ctx.loaders.visibleTicket.load(t.doc.relatedTicketId);
    return doc ? toTicket(doc) : null;
  }

  @FieldResolver(() => [Ticket], { description: 'Its escalations one level up that the caller may see (the customer never sees its partner\'s case with the level above).' })
  async escalations(@Root() t: Ticket, @Ctx() ctx: SupportContext): Promise<Ticket[]> {
    return (await ctx.loaders.visibleEscalations.load(t.id)).map(toTicket);
  }
}

