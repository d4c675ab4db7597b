import { Connection, payload } from '@csp/kernel';
import { createUnionType, Field, ID, InputType, ObjectType } from 'type-graphql';
import { PartnerRef } from '../refs/refs.type';
import { TicketSeverity, TicketStatus, TicketTopic } from './ticket.enums';
import { VENDOR, type TicketDoc } from './ticket.model';

/** The vendor as the handler of tickets addressed to it. */
@ObjectType({ description: 'The cloud vendor, when it handles a ticket (partner-to-vendor cases).' })
export class SupportVendor {
  @Field() name!: string;
}

export const TicketHandler = createUnionType({
  name: 'TicketHandler',
  description: 'Who handles a ticket: the requester\'s partner, a distributor, or the vendor.',
  types: () => [PartnerRef, SupportVendor] as const,
  resolveType: (v) => (v instanceof SupportVendor ? SupportVendor : PartnerRef),
});

@ObjectType({ description: 'A service request from a customer to its partner, a reseller to its distributor, or a partner to the vendor.' })
export class Ticket {
  @Field(() => ID) id!: string;
  @Field({ description: 'Human-readable, unique per handler, e.g. SR-00012 (VND-… at the vendor).' }) number!: string;
  @Field(() => TicketStatus) status!: TicketStatus;
  @Field(() => TicketSeverity) severity!: TicketSeverity;
  @Field(() => TicketTopic) topic!: TicketTopic;
  @Field() title!: string;
  @Field() description!: string;
  @Field() createdAt!: Date;
  @Field({ description: 'Last activity (a note, a status change, an escalation).' }) updatedAt!: Date;
  @Field({ description: 'When the handling side must have answered, from the severity\'s target (platform clock).' }) firstResponseDueAt!: Date;
  @Field({ description: 'When the ticket must be closed, from the severity\'s target.' }) resolutionDueAt!: Date;
  @Field(() => Date, { nullable: true }) firstRespondedAt?: Date | null;
  @Field(() => Date, { nullable: true }) closedAt?: Date | null;
  doc!: TicketDoc;
}

export const toTicket = (doc: TicketDoc): Ticket =>
  Object.assign(new Ticket(), {
    id: doc._id,
    number: doc.number,
    status: doc.status,
    severity: doc.severity,
    topic: doc.topic,
    title: doc.title,
    description: doc.description,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    firstResponseDueAt: doc.firstResponseDueAt,
    resolutionDueAt: doc.resolutionDueAt,
    firstRespondedAt: doc.firstRespondedAt ?? null,
    closedAt: doc.closedAt ?? null,
    doc,
  });

export const handlerOf = (doc: TicketDoc, vendorName: string) =>
  doc.handlerKey === VENDOR ? Object.assign(new SupportVendor(), { name: vendorName }) : PartnerRef.of(doc.handlerKey);

export const TicketConnection = Connection(Ticket);

@InputType()
export class OpenTicketInput {
  @Field(() => ID, { nullable: true, description: 'Customer users: one of your partners (default: the partner that sold to you). Resellers: one of your distributors.' })
  partnerId?: string;
  @Field(() => Boolean, { nullable: true, description: 'Direct providers and distributors: address the vendor.' }) toVendor?: boolean;
  @Field(() => TicketSeverity) severity!: TicketSeverity;
  @Field(() => TicketTopic) topic!: TicketTopic;
  @Field({ description: '1 to 200 characters.' }) title!: string;
  @Field({ description: '1 to 10000 characters.' }) description!: string;
  @Field(() => ID, { nullable: true, description: 'A subscription of the requester\'s own (else NOT_FOUND).' }) subscriptionId?: string;
  @Field(() => ID, { nullable: true, description: 'An invoice the requester received (or, a partner, issued); else NOT_FOUND.' }) invoiceId?: string;
  @Field(() => ID, { nullable: true, description: 'An earlier ticket of the same requester, e.g. a closed one that may no longer be reopened.' }) relatedTicketId?: string;
}

export const OpenTicketPayload = payload('OpenTicketPayload', 'ticket', Ticket);
export type OpenTicketPayload = InstanceType<typeof OpenTicketPayload>;
export const EscalateTicketPayload = payload('EscalateTicketPayload', 'escalation', Ticket, { description: 'The new ticket one level up, linked to the escalated one.' });
export type EscalateTicketPayload = InstanceType<typeof EscalateTicketPayload>;
export const AssignTicketPayload = payload('AssignTicketPayload', 'ticket', Ticket);
export type AssignTicketPayload = InstanceType<typeof AssignTicketPayload>;
