/** Events the support service publishes (for webhooks and the audit log; support reads them back for ticket activity). */
export type TicketSeverity = 'CRITICAL' | 'MODERATE' | 'MINIMAL';
export type TicketStatus = 'OPEN' | 'ATTENTION_NEEDED' | 'CLOSED';

/** Who a ticket concerns; every support event carries it so a consumer needs no lookup. */
export interface TicketFacts {
  ticketId: string;
  /** Human-readable, unique per handler, e.g. SR-00012. */
  number: string;
  severity: TicketSeverity;
  /** The partner that handles it; absent when the vendor does. */
  handlerPartnerId?: string;
  requesterUserId: string;
  requesterCustomerId?: string;
  requesterPartnerId?: string;
  /** The ticket this one escalates (one level down). */
  parentTicketId?: string;
  at: string;
}

export interface SupportEvents {
  'ticket.opened': TicketFacts & { topic: string; title: string };
  /** The handling side's first reply; `seconds` after opening. */
  'ticket.firstResponded': TicketFacts & { seconds: number };
  'ticket.statusChanged': TicketFacts & { from: TicketStatus; to: TicketStatus };
  'ticket.escalated': TicketFacts & { escalationId: string; escalationNumber: string };
  'ticket.slaBreached': TicketFacts & { target: 'FIRST_RESPONSE' | 'RESOLUTION'; dueAt: string };
}
