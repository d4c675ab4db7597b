import { outboxField, type Envelope, docSchema, modelOn, required } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';
import type { TicketSeverity, TicketStatus, TicketTopic } from './ticket.enums';

/** The vendor's queue; partners' queues are keyed by the partner id. */
export const VENDOR = 'VENDOR';

export interface TicketDoc {
  _id: string;
  /** Who handles it: a partner id or VENDOR. Numbers are unique per handler. */
  handlerKey: string;
  seq: number;
  number: string;
  status: TicketStatus;
  severity: TicketSeverity;
  topic: TicketTopic;
  title: string;
  description: string;
  requesterUserId: string;
  requesterKind: 'PARTNER_USER' | 'CUSTOMER_USER';
  requesterCustomerId?: string;
  requesterPartnerId?: string;
  subscriptionId?: string;
  invoiceId?: string;
  relatedTicketId?: string;
  /** The ticket this one escalates (one level down). */
  parentTicketId?: string;
  assigneeId?: string;
  createdAt: Date;
  updatedAt: Date;
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
  firstResponded: boolean;
  firstRespondedAt?: Date;
  closedAt?: Date;
  /** Set once the breach is recorded (the claim is the sla_breaches document). */
  breachedFirstResponse: boolean;
  breachedResolution: boolean;
  outbox: Envelope[];
}

const schema = docSchema<TicketDoc>({
  handlerKey: required(String),
  seq: required(Number),
  number: required(String),
  status: required(String),
  severity: required(String),
  topic: required(String),
  title: String,
  description: String,
  requesterUserId: required(String),
  requesterKind: String,
  requesterCustomerId: String,
  requesterPartnerId: String,
  subscriptionId: String,
  invoiceId: String,
  relatedTicketId: String,
  parentTicketId: { type: String, index: true },
  assigneeId: String,
  createdAt: Date,
  updatedAt: Date,
  firstResponseDueAt: Date,
  resolutionDueAt: Date,
  firstResponded: { type: Boolean, default: false },
  firstRespondedAt: Date,
  closedAt: Date,
  breachedFirstResponse: { type: Boolean, default: false },
  breachedResolution: { type: Boolean, default: false },
  outbox: outboxField(),
});
// The number claim: two tickets opened at once with one handler cannot get the same number.
schema.index({ handlerKey: 1, seq: 1 }, { unique: true });
schema.index({ handlerKey: 1, updatedAt: -1 });
schema.index({ requesterCustomerId: 1, updatedAt: -1 });
schema.index({ requesterPartnerId: 1, updatedAt: -1 });
schema.index({ status: 1, firstResponseDueAt: 1 });

export const ticketModel = (conn: Connection): Model<TicketDoc> => modelOn<TicketDoc>(conn, 'Ticket', schema, 'tickets');

/** One escalation per ticket: inserting this claims it (the id is the escalated ticket's). */
export interface EscalationClaimDoc {
  _id: string;
  escalationId: string;
}
export const escalationClaimModel = (conn: Connection): Model<EscalationClaimDoc> =>
  (conn.models.EscalationClaim as Model<EscalationClaimDoc>) ??
  conn.model<EscalationClaimDoc>('EscalationClaim', docSchema<EscalationClaimDoc>({ escalationId: String }), 'escalation_claims');
