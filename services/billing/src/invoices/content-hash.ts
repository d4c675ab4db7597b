import { createHash } from 'node:crypto';
import type { InvoiceDoc, LineItemDoc } from './invoice.model';

/** JSON with keys sorted at every level, absent = null (the store may keep fields in another order, undefined as null). */
function canonical(v: unknown): string {
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined && x !== null).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * sha256 over an issued document's header (payment state excluded: it lives in payments and
 * credit notes) and its lines in order. Written with the header, so an audit can tell the
 * stored document is the one issued.
 */
export function contentHash(header: Omit<InvoiceDoc, 'contentHash'>, lines: LineItemDoc[]): string {
  const h = createHash('sha256');
  h.update(canonical(header));
  for (const l of lines) h.update(canonical(l));
  return h.digest('hex');
}
