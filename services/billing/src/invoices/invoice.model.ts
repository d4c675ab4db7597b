import { Schema, type Connection, type Model } from 'mongoose';
import type { ChargeType } from '../rating/charge-line';

export type InvoiceKind = 'VENDOR_TO_PARTNER' | 'DISTRIBUTOR_TO_RESELLER' | 'PARTNER_TO_CUSTOMER';
export type InvoiceStatus = 'ISSUED' | 'PAID';

/**
 * An issued invoice: written once, after all its lines, and never changed except its
 * payment status. The unique (kind, issuer, bill-to, period, currency) index makes a
 * re-run or a second worker unable to issue it twice.
 */
export interface InvoiceDoc {
  _id: string;
  number: string;
  kind: InvoiceKind;
  period: string;
  currency: string;
  issuerId: string;
  issuerName: string;
  billToId: string;
  billToName: string;
  subtotal: string;
  total: string;
  lineCount: number;
  status: InvoiceStatus;
  runId: string;
  issuedAt: Date;
  paidAt?: Date;
}

/** One line of an invoice; `_id` = `${invoiceId}:${position}` gives the page order. */
export interface LineItemDoc {
  _id: string;
  invoiceId: string;
  lineKey: string;
  customerId: string;
  /** Empty for a CUSTOMER_CHARGE line (see chargeId). */
  subscriptionId: string;
  chargeType: ChargeType;
  description: string;
  meterId?: string;
  chargeId?: string;
  quantity: string;
  unitPrice: string;
  amount: string;
  usageFrom: string;
  usageTo: string;
}

const invoiceSchema = new Schema<InvoiceDoc>(
  {
    _id: String,
    number: { type: String, required: true },
    kind: { type: String, required: true },
    period: { type: String, required: true },
    currency: { type: String, required: true },
    issuerId: { type: String, required: true, index: true },
    issuerName: String,
    billToId: { type: String, required: true, index: true },
    billToName: String,
    subtotal: { type: String, required: true },
    total: { type: String, required: true },
    lineCount: Number,
    status: { type: String, required: true },
    runId: { type: String, index: true },
    issuedAt: { type: Date, required: true },
    paidAt: Date,
  },
  { versionKey: false },
);
invoiceSchema.index({ kind: 1, issuerId: 1, billToId: 1, period: 1, currency: 1 }, { unique: true });
invoiceSchema.index({ issuerId: 1, number: 1 }, { unique: true });

const lineSchema = new Schema<LineItemDoc>(
  {
    _id: String,
    invoiceId: { type: String, required: true },
    lineKey: { type: String, required: true },
    customerId: String,
    subscriptionId: String,
    chargeType: String,
    description: String,
    meterId: String,
    chargeId: String,
    quantity: String,
    unitPrice: String,
    amount: String,
    usageFrom: String,
    usageTo: String,
  },
  { versionKey: false },
);
lineSchema.index({ invoiceId: 1, lineKey: 1 }, { unique: true });

export const invoiceModel = (conn: Connection): Model<InvoiceDoc> =>
  (conn.models.Invoice as Model<InvoiceDoc>) ?? conn.model<InvoiceDoc>('Invoice', invoiceSchema, 'invoices');
export const lineItemModel = (conn: Connection): Model<LineItemDoc> =>
  (conn.models.LineItem as Model<LineItemDoc>) ?? conn.model<LineItemDoc>('LineItem', lineSchema, 'invoice_lines');
