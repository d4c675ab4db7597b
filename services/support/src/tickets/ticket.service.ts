import { event, type TicketFacts } from '@csp/events';
import { AggregateStore, badInput, conflict, forbidden, isDuplicateKey, newId, notFound, type AggregateLocks, type Caller, type Clock, type Envelope } from '@csp/kernel';
import type { SupportModels } from '../models';
import { firstResponseSeconds, ticketsOpened } from '../metrics';
import type { NoteDoc } from '../notes/note.model';
import type { TargetBook } from '../sla/targets';
import { handlerFor, nextLevel, type Addressee } from './parties';
import { BODY_MAX, text, TITLE_MAX } from './limits';
import { hasSupportRole } from './roles';
import { TicketSeverity, TicketStatus, TicketTopic } from './ticket.enums';
import { VENDOR, type TicketDoc } from './ticket.model';
import { sideOf, visibleTickets } from './visibility';

export const REOPEN_DAYS = 14;
const DAY_MS = 86_400_000;
const MIN_MS = 60_000;

export interface OpenInput extends Addressee {
  severity: TicketSeverity;
  topic: TicketTopic;
  title: string;
  description: string;
  subscriptionId?: string | null;
  invoiceId?: string | null;
  relatedTicketId?: string | null;
}

export const facts = (t: TicketDoc, at: Date): TicketFacts => ({
  ticketId: t._id,
  number: t.number,
  severity: t.severity,
  ...(t.handlerKey !== VENDOR ? { handlerPartnerId: t.handlerKey } : {}),
  requesterUserId: t.requesterUserId,
  ...(t.requesterCustomerId ? { requesterCustomerId: t.requesterCustomerId } : {}),
  ...(t.requesterPartnerId ? { requesterPartnerId: t.requesterPartnerId } : {}),
  ...(t.parentTicketId ? { parentTicketId: t.parentTicketId } : {}),
  at: at.toISOString(),
});

/** Tickets: opening, the thread and status, escalation, assignment. */
export class TicketService {
  constructor(
    private readonly m: SupportModels,
    private readonly targets: TargetBook,
    private readonly clock: Clock,
    private readonly locks: AggregateLocks,
  ) {}

  /** Every change of a ticket after it is opened: under its lock, the change and its events in one write. */
  private readonly store = new AggregateStore<TicketDoc>(this.m.tickets, this.locks, this.clock, { missing: (id) => notFound('Ticket', id) });

  /** One ticket the caller may see, else NOT_FOUND (another tenant's id leaks nothing). */
  async visible(caller: Caller, id: string): Promise<TicketDoc> {
    const filter = visibleTickets(caller);
    const doc = filter ? await this.m.tickets.findOne({ $and: [{ _id: id }, filter] }, { outbox: 0 }).lean<TicketDoc>() : null;
    if (!doc) throw notFound('Ticket', id);
    return doc;
  }

  async open(caller: Caller, input: OpenInput): Promise<TicketDoc> {
    const title = text('title', input.title, TITLE_MAX);
    const description = text('description', input.description, BODY_MAX);
    const handlerKey = await handlerFor(this.m, caller, input);
    if (input.subscriptionId) await this.ownSubscription(caller, input.subscriptionId);
    if (input.invoiceId) await this.ownInvoice(caller, input.invoiceId);
    if (input.relatedTicketId) {
      const related = await this.visible(caller, input.relatedTicketId);
      if (related.requesterCustomerId !== caller.customerId || related.requesterPartnerId !== caller.partnerId) throw notFound('Ticket', input.relatedTicketId);
    }
    return this.insert(caller, handlerKey, {
      severity: input.severity,
      topic: input.topic,
      title,
      description,
      ...(input.subscriptionId ? { subscriptionId: input.subscriptionId } : {}),
      ...(input.invoiceId ? { invoiceId: input.invoiceId } : {}),
      ...(input.relatedTicketId ? { relatedTicketId: input.relatedTicketId } : {}),
    });
  }

  /** A subscription the requester's tenant holds (customer) or sells (partner), else NOT_FOUND. */
  private async ownSubscription(caller: Caller, id: string): Promise<void> {
    const s = await this.m.subscriptions.findById(id).lean();
    const mine =
      !!s &&
      (caller.kind === 'CUSTOMER_USER' ? s.customerId === caller.customerId : caller.kind === 'PARTNER_USER' && (s.partnerId === caller.partnerId || s.resellerId === caller.partnerId));
    if (!mine) throw notFound('Subscription', id);
  }

  /** An invoice the requester received (or, a partner, issued), as billing announced it; else NOT_FOUND. */
  private async ownInvoice(caller: Caller, id: string): Promise<void> {
    const i = await this.m.invoices.findById(id).lean();
    const party = caller.kind === 'CUSTOMER_USER' ? caller.customerId : caller.partnerId;
    if (!i || !party || (i.billToId !== party && i.issuerId !== party)) throw notFound('Invoice', id);
  }

  /** Claims the handler's next number by inserting under the unique (handler, seq) index; retries on a clash. */
  private async insert(
    caller: Caller,
    handlerKey: string,
    fields: Pick<TicketDoc, 'severity' | 'topic' | 'title' | 'description'> & Partial<Pick<TicketDoc, 'subscriptionId' | 'invoiceId' | 'relatedTicketId' | 'parentTicketId'>>,
    id = newId('tkt'),
  ): Promise<TicketDoc> {
    const now = this.clock.now();
    const t = await this.targets.of(handlerKey, fields.severity);
    const prefix = handlerKey === VENDOR ? 'VND' : 'SR';
    for (let attempt = 0; ; attempt++) {
      const last = await this.m.tickets.findOne({ handlerKey }, { seq: 1 }).sort({ seq: -1 }).lean<{ seq: number }>();
      const seq = (last?.seq ?? 0) + 1;
      const doc: TicketDoc = {
        _id: id,
        handlerKey,
        seq,
        number: `${prefix}-${String(seq).padStart(5, '0')}`,
        status: TicketStatus.OPEN,
        ...fields,
        requesterUserId: caller.userId,
        requesterKind: caller.kind as TicketDoc['requesterKind'],
        ...(caller.kind === 'CUSTOMER_USER' ? { requesterCustomerId: caller.customerId } : { requesterPartnerId: caller.partnerId }),
        createdAt: now,
        updatedAt: now,
        firstResponseDueAt: new Date(now.getTime() + t.firstResponseMinutes * MIN_MS),
        resolutionDueAt: new Date(now.getTime() + t.resolutionMinutes * MIN_MS),
        firstResponded: false,
        breachedFirstResponse: false,
        breachedResolution: false,
        outbox: [],
      };
      doc.outbox = [event('ticket.opened', { ...facts(doc, now), topic: doc.topic, title: doc.title }, this.clock)];
      try {
        await this.m.tickets.create(doc);
        ticketsOpened.inc({ severity: doc.severity, handler: handlerKey === VENDOR ? 'vendor' : 'partner' });
        return { ...doc, outbox: [] };
      } catch (err) {
        // Another ticket took this number a moment ago: take the next one.
        if (!isDuplicateKey(err) || attempt >= 20) throw err;
        if (await this.m.tickets.exists({ _id: id })) throw err;
      }
    }
  }


  async addNote(caller: Caller, ticketId: string, rawBody: string, setStatus?: TicketStatus | null, internal = false): Promise<{ ticket: TicketDoc; note: NoteDoc }> {
    const seen = await this.visible(caller, ticketId);
    const body = text('body', rawBody, BODY_MAX);
    const side = sideOf(caller, seen);
    if (internal && side !== 'HANDLER') throw forbidden('Only the handling side writes internal notes.');
    let note!: NoteDoc;
    const ticket = await this.store.change(ticketId, async (t) => {
      const now = this.clock.now();
      let to = t.status;
      if (t.status === TicketStatus.CLOSED) {
        if (setStatus !== TicketStatus.OPEN) {
          throw badInput(`Ticket ${t.number} is closed: no more notes. Reopen it (setStatus: OPEN) within ${REOPEN_DAYS} days of closing, or open a new ticket with relatedTicketId.`, 'ticketId');
        }
        if (now.getTime() - (t.closedAt?.getTime() ?? 0) > REOPEN_DAYS * DAY_MS) {
          throw badInput(`Ticket ${t.number} was closed more than ${REOPEN_DAYS} days ago and cannot be reopened; open a new ticket with relatedTicketId.`, 'setStatus');
        }
        to = TicketStatus.OPEN;
      } else if (setStatus === TicketStatus.ATTENTION_NEEDED) {
        if (side !== 'HANDLER') throw forbidden('Only the handling side asks the requester for information.');
        to = setStatus;
      } else if (setStatus) {
        to = setStatus;
      } else if (side === 'REQUESTER' && t.status === TicketStatus.ATTENTION_NEEDED) {
        // The requester answered: the ball is back with the handler.
        to = TicketStatus.OPEN;
      }
      note = { _id: newId('note'), ticketId, authorId: caller.userId, side, internal, body, createdAt: now };
      await this.m.notes.create(note);
      const outbox: Envelope[] = [];
      const set: Partial<TicketDoc> = {};
      const firstResponse = side === 'HANDLER' && !internal && !t.firstResponded;
      if (firstResponse) {
        const seconds = Math.round((now.getTime() - t.createdAt.getTime()) / 1000);
        Object.assign(set, { firstResponded: true, firstRespondedAt: now });
        outbox.push(event('ticket.firstResponded', { ...facts(t, now), seconds }, this.clock));
        firstResponseSeconds.observe({ severity: t.severity }, seconds);
      }
      if (to !== t.status) {
        Object.assign(set, { status: to }, to === TicketStatus.CLOSED ? { closedAt: now } : {});
        outbox.push(event('ticket.statusChanged', { ...facts(t, now), from: t.status, to }, this.clock));
      }
      return { set, events: () => outbox };
    });
    return { ticket, note };
  }

  /** The handling partner escalates to the next level up: a new ticket linked to this one. */
  async escalate(caller: Caller, ticketId: string, rawDescription: string): Promise<TicketDoc> {
    const t = await this.visible(caller, ticketId);
    if (sideOf(caller, t) !== 'HANDLER') throw forbidden('Only the handling partner\'s support staff escalate a ticket.');
    if (t.handlerKey === VENDOR) throw forbidden('The vendor is the last support level: there is no one to escalate to.');
    if (t.status === TicketStatus.CLOSED) throw badInput(`Ticket ${t.number} is closed; reopen it before escalating.`, 'ticketId');
    const description = text('description', rawDescription, BODY_MAX);
    const upstream = await nextLevel(this.m, t.handlerKey, t.requesterCustomerId);
    // One escalation per ticket: the claim names the escalation's id before it exists, so a
    // crash between the two inserts is finished by the next attempt instead of blocking it.
    let escalationId = newId('tkt');
    try {
      await this.m.escalationClaims.create({ _id: t._id, escalationId });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const claim = (await this.m.escalationClaims.findById(t._id).lean())!;
      const existing = await this.m.tickets.findById(claim.escalationId, { number: 1 }).lean();
      if (existing) throw conflict(`Ticket ${t.number} is already escalated (as ${existing.number}).`);
      escalationId = claim.escalationId;
    }
    const requester: Caller = { ...caller, customerId: undefined };
    const esc = await this.insert(
      requester,
      upstream,
      { severity: t.severity, topic: t.topic, title: t.title, description, parentTicketId: t._id, ...(t.subscriptionId ? { subscriptionId: t.subscriptionId } : {}) },
      escalationId,
    );
    await this.store.change(t._id, (doc) => ({
      events: (now) => [event('ticket.escalated', { ...facts(doc, now), escalationId: esc._id, escalationNumber: esc.number }, this.clock)],
    }));
    return esc;
  }

  /** The handling side assigns the ticket to one of its support staff (null: unassigned). */
  async assign(caller: Caller, ticketId: string, userId: string | null): Promise<TicketDoc> {
    const t = await this.visible(caller, ticketId);
    if (sideOf(caller, t) !== 'HANDLER') throw forbidden('Only the handling side assigns a ticket.');
    if (userId && userId !== caller.userId) {
      // Others must be known support staff of the handling partner (user.rolesChanged).
      const staff = t.handlerKey === VENDOR ? null : await this.m.staff.findById(userId).lean();
      if (!staff || staff.partnerId !== t.handlerKey || !hasSupportRole(staff.roles)) throw notFound('Support staff member', userId);
    }
    return this.store.change(ticketId, () => (userId ? { set: { assigneeId: userId } } : { unset: ['assigneeId'] }));
  }
}
