import type { Model } from 'mongoose';
import type { InvoiceDoc, LineItemDoc } from './invoice.model';

/** The first twelve columns as before; converted invoices fill the last three (the rate, the market-currency amount). */
const HEADER = ['invoiceNumber', 'customerId', 'subscriptionId', 'chargeType', 'description', 'meterId', 'quantity', 'unitPrice', 'amount', 'currency', 'usageFrom', 'usageTo', 'fxRate', 'sourceCurrency', 'sourceAmount'];

/** RFC 4180 quoting: fields with a comma, quote or line break are quoted, quotes doubled. */
export const csvCell = (v: string | undefined) => {
  const s = v ?? '';
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The invoice's lines as CSV, header first, read with one cursor (no per-line round trip). */
export async function reconciliationCsv(lines: Model<LineItemDoc>, invoice: InvoiceDoc): Promise<string> {
  const rows = [HEADER.join(',')];
  for await (const l of lines.find({ invoiceId: invoice._id }).sort({ _id: 1 }).lean<LineItemDoc>().cursor({ batchSize: 2000 })) {
    const d = l as LineItemDoc;
    rows.push(
      [invoice.number, d.customerId, d.subscriptionId, d.chargeType, d.description, d.meterId, d.quantity, d.unitPrice, d.amount, invoice.currency, d.usageFrom, d.usageTo, d.fxRate, d.sourceCurrency, d.sourceAmount]
        .map(csvCell)
        .join(','),
    );
  }
  return `${rows.join('\r\n')}\r\n`;
}
