import { createHash } from 'node:crypto';
import type { InvoiceDoc, LineItemDoc } from './invoice.model';

/**
 * sha256 over an issued document's header (payment state excluded: it lives in payments and
 * credit notes) and its lines in order. Written with the header; a test compares stored bytes.
 */
export function contentHash(header: Omit<InvoiceDoc, 'contentHash'>, lines: LineItemDoc[]): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(header));
  for (const l of lines) h.update(JSON.stringify(l));
  return h.digest('hex');
}
