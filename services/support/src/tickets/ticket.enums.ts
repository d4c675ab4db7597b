import { registerEnumType } from 'type-graphql';

export enum TicketSeverity {
  CRITICAL = 'CRITICAL',
  MODERATE = 'MODERATE',
  MINIMAL = 'MINIMAL',
}
export enum TicketTopic {
  TECHNICAL = 'TECHNICAL',
  BILLING = 'BILLING',
  SUBSCRIPTION = 'SUBSCRIPTION',
  ACCESS = 'ACCESS',
  OTHER = 'OTHER',
}
export enum TicketStatus {
  OPEN = 'OPEN',
  /** Waiting on the requester. */
  ATTENTION_NEEDED = 'ATTENTION_NEEDED',
  CLOSED = 'CLOSED',
}
/** Which tickets of a partner's: those addressed to it, or those it raised itself. */
export enum TicketSide {
  HANDLING = 'HANDLING',
  REQUESTING = 'REQUESTING',
}

registerEnumType(TicketSeverity, { name: 'TicketSeverity', description: 'How badly the requester is affected; sets the response targets.' });
registerEnumType(TicketTopic, { name: 'TicketTopic' });
registerEnumType(TicketStatus, { name: 'TicketStatus', description: 'OPEN → ATTENTION_NEEDED (waiting on the requester) ⇄ OPEN → CLOSED (reopen within 14 days).' });
registerEnumType(TicketSide, { name: 'TicketSide' });
