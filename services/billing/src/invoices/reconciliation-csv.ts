import type { Model } from 'mongoose';
import type { InvoiceDoc, LineItemDoc } from './invoice.model';

const HEADER = ['invoiceNumber', 'customerId', 'subscriptionId', 'chargeType', 'description', 'meterId', 'quantity', 'unitPrice', 'amount', 'currency', 'usageFrom', 'usageTo'];

/** RFC 4180 quoting: fields with a comma, quote or line break are quoted, quotes doubled. */
const cell = (v: string | undefined) => {
  const s = v ?? '';
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The invoice's lines as CSV, header first, read with one cursor (no per-line round trip). */
export async function reconciliationCsv(lines: Model<LineItemDoc>, invoice: InvoiceDoc): Promise<string> {
  const rows = [HEADER.join(',')];
  for await (const l of lines.find({ invoiceId: invoice._id }).sort({ _id: 1 }).lean<LineItemDoc>().cursor({ batchSize: 2000 })) {
    const d = l as LineItemDoc;
    rows.push(
      [invoice.number, d.customerId, d.subscriptionId, d.chargeType, d.description, d.meterId, d.quantity, d.unitPrice, d.amount, invoice.currency, d.usageFrom, d.usageTo]
        .map(cell)
        .join(','),
    );
  }
  return `${rows.join('\r\n')}\r\n`;
}
