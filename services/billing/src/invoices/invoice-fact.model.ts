import { event } from '@csp/events';
import { isDuplicateKey, outboxField, type Clock, type Envelope, docSchema, modelOn } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';
import type { InvoiceDoc } from './invoice.model';

/**
 * The `invoice.issued` event of one invoice, in a document of its own (id: the invoice's) so
 * that the relay never writes the invoice itself: insert-only, duplicates ignored.
 */
export interface InvoiceFactDoc {
  _id: string;
  outbox: Envelope[];
}

const schema = docSchema<InvoiceFactDoc>({ outbox: outboxField() });
export const invoiceFactModel = (conn: Connection): Model<InvoiceFactDoc> => modelOn<InvoiceFactDoc>(conn, 'InvoiceFact', schema, 'invoice_facts');

/** Announces an issued invoice once (a retried job finds the fact and leaves it). */
export async function announceInvoice(facts: Model<InvoiceFactDoc>, inv: Pick<InvoiceDoc, '_id' | 'number' | 'kind' | 'period' | 'issuerId' | 'billToId' | 'issuedAt'>, clock: Clock): Promise<void> {
  const ev = event(
    'invoice.issued',
    { invoiceId: inv._id, number: inv.number, kind: inv.kind, period: inv.period, issuerId: inv.issuerId, billToId: inv.billToId, at: inv.issuedAt.toISOString() },
    clock,
    `invoice-issued-${inv._id}`,
  );
  await facts.create({ _id: inv._id, outbox: [ev] }).catch((err) => {
    if (!isDuplicateKey(err)) throw err;
  });
}
