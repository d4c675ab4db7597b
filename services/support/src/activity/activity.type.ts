import { Field, ObjectType } from 'type-graphql';
import { TicketStatus } from '../tickets/ticket.enums';
import type { ActivityDoc } from './activity.model';

@ObjectType({ description: 'Something that happened to a ticket: opened, answered, status, escalation (and its status), a missed target.' })
export class TicketActivity {
  @Field() at!: Date;
  @Field({ description: 'OPENED, FIRST_RESPONSE, STATUS_CHANGED, ESCALATED, ESCALATION_STATUS_CHANGED or SLA_BREACHED.' }) kind!: string;
  @Field(() => TicketStatus, { nullable: true }) status?: TicketStatus | null;
  @Field() message!: string;
}

export const toActivity = (d: ActivityDoc): TicketActivity =>
  Object.assign(new TicketActivity(), { at: d.at, kind: d.kind, status: (d.status as TicketStatus) ?? null, message: d.message });
