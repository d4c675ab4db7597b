import type { EventMap } from '@csp/events';
import { isDuplicateKey, type Envelope } from '@csp/kernel';
import type { Model } from 'mongoose';
import type { ActivityDoc } from './activity.model';

type Ev<K extends keyof EventMap> = Envelope<EventMap[K]>;

const LABEL: Record<string, string> = { OPEN: 'open', ATTENTION_NEEDED: 'waiting on the requester', CLOSED: 'closed' };

/**
 * Support reads its own events back into each ticket's activity. An escalation's status change
 * also lands on the ticket it escalates: the side below sees it as an event, never the notes.
 */
export function activityHandlers(activity: Model<ActivityDoc>) {
  const add = (doc: ActivityDoc) =>
    activity.create(doc).then(
      () => undefined,
      (err) => {
        if (!isDuplicateKey(err)) throw err;
      },
    );
  return {
    'ticket.opened': (ev: Ev<'ticket.opened'>) =>
      add({ _id: ev.id, ticketId: ev.payload.ticketId, at: new Date(ev.payload.at), kind: 'OPENED', status: 'OPEN', message: `Opened as ${ev.payload.number} (${ev.payload.severity}).` }),
    'ticket.firstResponded': (ev: Ev<'ticket.firstResponded'>) =>
      add({ _id: ev.id, ticketId: ev.payload.ticketId, at: new Date(ev.payload.at), kind: 'FIRST_RESPONSE', message: 'First response from the handling side.' }),
    'ticket.statusChanged': async (ev: Ev<'ticket.statusChanged'>) => {
      const p = ev.payload;
      await add({ _id: ev.id, ticketId: p.ticketId, at: new Date(p.at), kind: 'STATUS_CHANGED', status: p.to, message: `Now ${LABEL[p.to] ?? p.to}.` });
      if (p.parentTicketId) {
        await add({ _id: `${ev.id}:down`, ticketId: p.parentTicketId, at: new Date(p.at), kind: 'ESCALATION_STATUS_CHANGED', status: p.to, message: `The escalated request is now ${LABEL[p.to] ?? p.to}.` });
      }
    },
    'ticket.escalated': (ev: Ev<'ticket.escalated'>) =>
      add({ _id: ev.id, ticketId: ev.payload.ticketId, at: new Date(ev.payload.at), kind: 'ESCALATED', message: 'Escalated to the next support level.' }),
    'ticket.slaBreached': (ev: Ev<'ticket.slaBreached'>) =>
      add({
        _id: ev.id,
        ticketId: ev.payload.ticketId,
        at: new Date(ev.payload.at),
        kind: 'SLA_BREACHED',
        message: ev.payload.target === 'FIRST_RESPONSE' ? `First-response target missed (due ${ev.payload.dueAt}).` : `Resolution target missed (due ${ev.payload.dueAt}).`,
      }),
  };
}
