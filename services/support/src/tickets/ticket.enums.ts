import { graphqlEnum, type EnumValue } from '@csp/kernel';

export const TicketSeverity = graphqlEnum('TicketSeverity', ['CRITICAL', 'MODERATE', 'MINIMAL'], {
  description: 'How badly the requester is affected; sets the response targets.',
});
export type TicketSeverity = EnumValue<typeof TicketSeverity>;

export const TicketTopic = graphqlEnum('TicketTopic', ['TECHNICAL', 'BILLING', 'SUBSCRIPTION', 'ACCESS', 'OTHER']);
export type TicketTopic = EnumValue<typeof TicketTopic>;

export const TicketStatus = graphqlEnum('TicketStatus', ['OPEN', 'ATTENTION_NEEDED', 'CLOSED'], {
  description: 'OPEN → ATTENTION_NEEDED (waiting on the requester) ⇄ OPEN → CLOSED (reopen within 14 days).',
});
export type TicketStatus = EnumValue<typeof TicketStatus>;

/** Which tickets of a partner's: those addressed to it, or those it raised itself. */
export const TicketSide = graphqlEnum('TicketSide', ['HANDLING', 'REQUESTING']);
export type TicketSide = EnumValue<typeof TicketSide>;

