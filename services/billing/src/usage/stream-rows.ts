import type { UsageRecordFact } from '@csp/events';
import { badInput } from '@csp/kernel';

export const USAGE_FIELDS = ['recordId', 'subscriptionId', 'meterId', 'quantity', 'usageDate'] as const;

export type ParsedRow = { row: UsageRecordFact; reason?: undefined } | { row?: undefined; reason: string; recordId?: string };

/**
 * One usage row per line of a streamed body: NDJSON (one JSON object a line) or CSV (a header
 * naming the five columns, in any order, then plain comma-separated values). Only the shape is
 * checked here; what a row means (subscription, meter, dates, quantity) ingestUsage decides.
 */
export interface RowFormat {
  /** A row, a rejection, or undefined for a line that is not a row (CSV header). */
  parse(text: string): ParsedRow | undefined;
}

export function ndjsonRows(): RowFormat {
  return {
    parse(text) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return { reason: 'not a JSON object (each line of an NDJSON body is one usage row)' };
      }
      if (!value || typeof value !== 'object' || Array.isArray(value)) return { reason: 'not a JSON object (each line of an NDJSON body is one usage row)' };
      return shaped(value as Record<string, unknown>);
    },
  };
}

export function csvRows(): RowFormat {
  let columns: number[] | undefined;
  let width = 0;
  return {
    parse(text) {
      if (!columns) {
        const names = text.split(',').map((h) => h.trim().replace(/^\uFEFF/, ''));
        const missing = USAGE_FIELDS.filter((f) => !names.includes(f));
        // Without its header no line can be read: the stream is refused before anything is stored.
        if (missing.length) throw badInput(`The first line of a CSV body is its header naming the columns ${USAGE_FIELDS.join(',')}; it lacks ${missing.join(', ')}.`, 'body');
        columns = USAGE_FIELDS.map((f) => names.indexOf(f));
        width = names.length;
        return undefined;
      }
      // Ids, decimals and days hold no comma: quoting is not needed, and not read (no hidden meaning).
      if (text.includes('"')) return { reason: 'quoted CSV fields are not supported: write plain values (ids, decimals, days hold no comma)' };
      const values = text.split(',');
      if (values.length !== width) return { reason: `expected ${width} comma-separated values, found ${values.length}`, recordId: values[columns[0]] };
      return shaped(Object.fromEntries(USAGE_FIELDS.map((f, i) => [f, values[columns![i]].trim()])));
    },
  };
}

function shaped(v: Record<string, unknown>): ParsedRow {
  const recordId = typeof v.recordId === 'string' ? v.recordId : undefined;
  for (const f of USAGE_FIELDS) {
    if (typeof v[f] !== 'string') {
      const hint = f === 'quantity' ? ' (an exact decimal string such as "1.5")' : '';
      return { reason: `${f} must be a string${hint}`, recordId };
    }
  }
  return { row: { recordId: v.recordId, subscriptionId: v.subscriptionId, meterId: v.meterId, quantity: v.quantity, usageDate: v.usageDate } as UsageRecordFact };
}
