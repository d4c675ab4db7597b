import { docSchema, modelOn, required } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';
import type { PricedLine } from '../rating/charge-line';

export type InvoiceKind = 'VENDOR_TO_PARTNER' | 'DISTRIBUTOR_TO_RESELLER' | 'PARTNER_TO_CUSTOMER';
/** Stored status: always ISSUED since documents became immutable (PAID only on invoices from before). */
export type InvoiceStatus = 'ISSUED' | 'PAID';

export interface TaxLineDoc {
  description: string;
  ratePercent: string;
  base: string;
  amount: string;
}

export interface FxDoc {
  from: string;
  to: string;
  rate: string;
}

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
  /** Since money.graphql: tax lines (total = subtotal + Σ amount), the conversions used, due date. */
  taxLines?: TaxLineDoc[];
  fx?: FxDoc[];
  legalNote?: string;
  dueAt?: Date;
  paymentTermsDays?: number;
  sellerCountry?: string;
  buyerCountry?: string;
  buyerTaxId?: string;
  /** sha256 of the issued header and lines, written with the header: stored bytes never change. */
  contentHash?: string;
}

/** One line of an invoice; `_id` = `${invoiceId}:${position}` gives the page order. */
export interface LineItemDoc extends Omit<PricedLine, 'currency'> {
  _id: string;
  invoiceId: string;
  /** Empty for a CUSTOMER_CHARGE line (see chargeId). */
  subscriptionId: string;
}

const invoiceSchema = docSchema<InvoiceDoc>({
  number: required(String),
  kind: required(String),
  period: required(String),
  currency: required(String),
  issuerId: required(String, { index: true }),
  issuerName: String,
  billToId: required(String, { index: true }),
  billToName: String,
  subtotal: required(String),
  total: required(String),
  lineCount: Number,
  status: required(String),
  runId: { type: String, index: true },
  issuedAt: required(Date),
  paidAt: Date,
  taxLines: { type: [{ _id: false, description: String, ratePercent: String, base: String, amount: String }], default: undefined },
  fx: { type: [{ _id: false, from: String, to: String, rate: String }], default: undefined },
  legalNote: String,
  dueAt: Date,
  paymentTermsDays: Number,
  sellerCountry: String,
  buyerCountry: String,
  buyerTaxId: String,
  contentHash: String,
});
invoiceSchema.index({ kind: 1, issuerId: 1, billToId: 1, period: 1, currency: 1 }, { unique: true });
invoiceSchema.index({ issuerId: 1, number: 1 }, { unique: true });

const lineSchema = docSchema<LineItemDoc>({
  invoiceId: required(String),
  lineKey: required(String),
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
  sourceCurrency: String,
  sourceAmount: String,
  fxRate: String,
});
lineSchema.index({ invoiceId: 1, lineKey: 1 }, { unique: true });

export const invoiceModel = (conn: Connection): Model<InvoiceDoc> => modelOn<InvoiceDoc>(conn, 'Invoice', invoiceSchema, 'invoices');
export const lineItemModel = (conn: Connection): Model<LineItemDoc> => modelOn<LineItemDoc>(conn, 'LineItem', lineSchema, 'invoice_lines');
