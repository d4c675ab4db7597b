import { docSchema, modelOn, required } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';
import type { TaxLineDoc } from '../invoices/invoice.model';

/** One credited line: which invoice line, how much of it (net, in the invoice currency). */
export interface CreditLineDoc {
  lineId: string;
  description: string;
  amount: string;
}

/**
 * A credit note: issued once against one invoice (which never changes), numbered in its own
 * sequence per issuer. Unique (invoiceId, idempotencyKey): a retried request gets the same note.
 */
export interface CreditNoteDoc {
  _id: string;
  number: string;
  invoiceId: string;
  invoiceNumber: string;
  kind: string;
  issuerId: string;
  billToId: string;
  currency: string;
  reason: string;
  lines: CreditLineDoc[];
  taxLines: TaxLineDoc[];
  subtotal: string;
  total: string;
  idempotencyKey: string;
  /** The user (or caller kind) who issued it. */
  issuedBy: string;
  issuedAt: Date;
}

const schema = docSchema<CreditNoteDoc>({
  number: required(String),
  invoiceId: required(String, { index: true }),
  invoiceNumber: String,
  kind: String,
  issuerId: required(String),
  billToId: required(String),
  currency: String,
  reason: String,
  lines: [{ _id: false, lineId: String, description: String, amount: String }],
  taxLines: [{ _id: false, description: String, ratePercent: String, base: String, amount: String }],
  subtotal: String,
  total: String,
  idempotencyKey: required(String),
  issuedBy: String,
  issuedAt: Date,
});
schema.index({ invoiceId: 1, idempotencyKey: 1 }, { unique: true });
schema.index({ issuerId: 1, number: 1 }, { unique: true });

export const creditNoteModel = (conn: Connection): Model<CreditNoteDoc> => modelOn<CreditNoteDoc>(conn, 'CreditNote', schema, 'credit_notes');
