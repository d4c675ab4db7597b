import type { Model } from 'mongoose';
import type { CreditNoteDoc } from '../credit-notes/credit-note.model';
import type { InvoiceDoc } from '../invoices/invoice.model';
import { Dec } from '../money/decimal';
import type { PaymentDoc } from './payment.model';

export type SettledStatus = 'ISSUED' | 'PAID' | 'OVERDUE' | 'CREDITED';

/** What happened to an invoice after issue: its payments and credit notes (the invoice never changes). */
export interface InvoiceEvents {
  payments: PaymentDoc[];
  creditNotes: CreditNoteDoc[];
}

export interface Settlement {
  paid: Dec;
  credited: Dec;
  /** total − Σ payments − Σ credit notes (negative: the buyer is owed). */
  balance: Dec;
  status: SettledStatus;
  paidAt?: Date;
}

/**
 * Status by the platform clock: CREDITED when credit notes cover the total, PAID when nothing is
 * owed, OVERDUE when something is owed after the due date, else ISSUED. Invoices stored PAID
 * before payments were recorded (markInvoicePaid on the old model) count as paid in full.
 */
export function settle(inv: InvoiceDoc, ev: InvoiceEvents, now: Date): Settlement {
  const total = new Dec(inv.total);
  const credited = ev.creditNotes.reduce((s, c) => s.plus(c.total), new Dec(0));
  const legacyPaid = inv.status === 'PAID';
  const paid = legacyPaid ? total.minus(credited) : ev.payments.reduce((s, p) => s.plus(p.amount), new Dec(0));
  const balance = total.minus(paid).minus(credited);
  const lastPayment = ev.payments.reduce<Date | undefined>((m, p) => (!m || p.recordedAt > m ? p.recordedAt : m), undefined);
  const status: SettledStatus =
    total.gt(0) && credited.gte(total) ? 'CREDITED' : balance.lte(0) ? 'PAID' : inv.dueAt && now.getTime() > inv.dueAt.getTime() ? 'OVERDUE' : 'ISSUED';
  return { paid, credited, balance, status, paidAt: status === 'PAID' ? (legacyPaid ? inv.paidAt : lastPayment) : undefined };
}

/** Payments and credit notes of many invoices in two store queries. */
export async function loadInvoiceEvents(m: { payments: Model<PaymentDoc>; creditNotes: Model<CreditNoteDoc> }, ids: readonly string[]): Promise<Map<string, InvoiceEvents>> {
  const [payments, notes] = await Promise.all([
    m.payments.find({ invoiceId: { $in: [...ids] } }).lean<PaymentDoc[]>(),
    m.creditNotes.find({ invoiceId: { $in: [...ids] } }).sort({ issuedAt: 1, _id: 1 }).lean<CreditNoteDoc[]>(),
  ]);
  const out = new Map<string, InvoiceEvents>(ids.map((id) => [id, { payments: [], creditNotes: [] }]));
  for (const p of payments) out.get(p.invoiceId)?.payments.push(p);
  for (const n of notes) out.get(n.invoiceId)?.creditNotes.push(n);
  return out;
}
