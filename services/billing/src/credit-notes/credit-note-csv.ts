import { csvCell } from '../invoices/reconciliation-csv';
import type { CreditNoteDoc } from './credit-note.model';

const HEADER = ['creditNoteNumber', 'invoiceNumber', 'lineId', 'description', 'amount', 'currency'];

/** A credit note's own reconciliation lines; amounts sum to its subtotal. */
export function creditNoteCsv(d: CreditNoteDoc): string {
  const rows = [HEADER.join(','), ...d.lines.map((l) => [d.number, d.invoiceNumber, l.lineId, l.description, l.amount, d.currency].map(csvCell).join(','))];
  return `${rows.join('\r\n')}\r\n`;
}
