import { outboxField, type Envelope, docSchema, modelOn } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

export type SlaTarget = 'FIRST_RESPONSE' | 'RESOLUTION';

/**
 * One missed target of one ticket. Inserting it is the claim (the id is ticket and target), so
 * the breach event — in this document's outbox — goes out once however many replicas sweep.
 */
export interface BreachDoc {
  _id: string; // `${ticketId}|${target}`
  ticketId: string;
  target: SlaTarget;
  dueAt: Date;
  at: Date;
  outbox: Envelope[];
}

const schema = docSchema<BreachDoc>({ ticketId: { type: String, index: true }, target: String, dueAt: Date, at: Date, outbox: outboxField() });
export const breachModel = (conn: Connection): Model<BreachDoc> => modelOn<BreachDoc>(conn, 'SlaBreach', schema, 'sla_breaches');
