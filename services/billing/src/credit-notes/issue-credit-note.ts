import { badInput, isDuplicateKey, newId } from '@csp/kernel';
import type { BillingDeps } from '../deps';
import type { InvoiceDoc, LineItemDoc, TaxLineDoc } from '../invoices/invoice.model';
import { periodOf } from '../money/dates';
import { Dec, formatMoney, minorUnits } from '../money/decimal';
import { taxAmount } from '../tax/tax-rules';
import type { CreditLineDoc, CreditNoteDoc } from './credit-note.model';

export interface CreditNoteRequest {
  reason: string;
  /** Absent: everything still left to credit. */
  lines?: Array<{ lineId: string; amount?: string | null }> | null;
  idempotencyKey: string;
  issuedBy: string;
}

/**
 * Issues a credit note against an issued invoice (which itself never changes): the whole rest,
 * or some lines (each up to what is left of it). Tax is credited at the invoice's rates; the
 * note that credits the last of the subtotal credits the last of the tax, so Σ credit notes
 * never exceeds the invoice total and a full credit matches it exactly.
 */
export async function issueCreditNote(deps: BillingDeps, inv: InvoiceDoc, req: CreditNoteRequest): Promise<CreditNoteDoc> {
  const m = deps.models;
  const key = req.idempotencyKey.trim();
  if (!key || key.length > 200) throw badInput('idempotencyKey must have 1 to 200 characters', 'idempotencyKey');
  const existing = () => m.creditNotes.findOne({ invoiceId: inv._id, idempotencyKey: key }).lean<CreditNoteDoc>();
  const first = await existing();
  if (first) return first;
  const reason = req.reason.trim();
  if (!reason || reason.length > 500) throw badInput('reason must have 1 to 500 characters', 'reason');
  const cur = inv.currency;
  const wanted = req.lines ?? undefined;
  if (wanted) {
    if (!wanted.length) throw badInput('lines, when given, must name at least one line', 'lines');
    if (new Set(wanted.map((l) => l.lineId)).size !== wanted.length) throw badInput('a line appears twice in lines', 'lines');
    for (const [i, l] of wanted.entries()) {
      if (l.amount == null) continue;
      const a = new Dec(l.amount);
      if (!a.gt(0)) throw badInput(`lines[${i}].amount must be greater than 0`, `lines[${i}].amount`);
      if (a.decimalPlaces() > minorUnits(cur)) throw badInput(`lines[${i}].amount has more decimals than ${cur} has`, `lines[${i}].amount`);
    }
  }
  return deps.invoiceLocks.settle(
    inv._id,
    async () => {
      const again = await existing();
      if (again) return again;
      const notes = await m.creditNotes.find({ invoiceId: inv._id }).lean<CreditNoteDoc[]>();
      const creditedOn = new Map<string, Dec>();
      for (const n of notes) for (const l of n.lines) creditedOn.set(l.lineId, (creditedOn.get(l.lineId) ?? new Dec(0)).plus(l.amount));
      const left = (l: LineItemDoc) => new Dec(l.amount).minus(creditedOn.get(l._id) ?? 0);
      const lines: CreditLineDoc[] = [];
      if (!wanted) {
        for await (const l of m.lines.find({ invoiceId: inv._id }).sort({ _id: 1 }).lean<LineItemDoc>().cursor({ batchSize: 2000 })) {
          const rest = left(l as LineItemDoc);
          if (!rest.isZero()) lines.push({ lineId: l._id, description: l.description, amount: formatMoney(rest, cur) });
        }
      } else {
        const found = new Map((await m.lines.find({ invoiceId: inv._id, _id: { $in: wanted.map((w) => w.lineId) } }).lean<LineItemDoc[]>()).map((l) => [l._id, l]));
        for (const [i, w] of wanted.entries()) {
          const l = found.get(w.lineId);
          if (!l) throw badInput(`lines[${i}]: line ${w.lineId} is not a line of invoice ${inv.number}`, `lines[${i}].lineId`);
          const rest = left(l);
          const amount = w.amount == null ? rest : new Dec(w.amount);
          if (!rest.gt(0)) throw badInput(`lines[${i}]: nothing is left to credit on line ${w.lineId}`, `lines[${i}].lineId`);
          if (amount.gt(rest)) throw badInput(`lines[${i}]: ${formatMoney(amount, cur)} is more than the ${formatMoney(rest, cur)} ${cur} left to credit on line ${w.lineId}`, `lines[${i}].amount`);
          lines.push({ lineId: l._id, description: l.description, amount: formatMoney(amount, cur) });
        }
      }
      const net = lines.reduce((s, l) => s.plus(l.amount), new Dec(0));
      const creditedNet = notes.reduce((s, n) => s.plus(n.subtotal), new Dec(0));
      const last = creditedNet.plus(net).eq(inv.subtotal);
      const taxLines: TaxLineDoc[] = (inv.taxLines ?? []).map((t, i) => {
        const done = notes.reduce((s, n) => s.plus(n.taxLines[i]?.amount ?? 0), new Dec(0));
        const rest = new Dec(t.amount).minus(done);
        const amount = last ? rest : Dec.min(rest, taxAmount(net, t.ratePercent, cur));
        return { description: t.description, ratePercent: t.ratePercent, base: formatMoney(net, cur), amount: formatMoney(amount, cur) };
      });
      const total = taxLines.reduce((s, t) => s.plus(t.amount), net);
      if (!total.gt(0)) throw badInput(`nothing is left to credit on invoice ${inv.number}`, 'invoiceId');
      const now = deps.clock.now();
      const id = newId('cn');
      for (let attempt = 0; ; attempt++) {
        const number = await deps.numbers.creditNote(inv.issuerId, periodOf(now), id);
        const doc: CreditNoteDoc = {
          _id: id,
          number,
          invoiceId: inv._id,
          invoiceNumber: inv.number,
          kind: inv.kind,
          issuerId: inv.issuerId,
          billToId: inv.billToId,
          currency: cur,
          reason,
          lines,
          taxLines,
          subtotal: formatMoney(net, cur),
          total: formatMoney(total, cur),
          idempotencyKey: key,
          issuedBy: req.issuedBy,
          issuedAt: now,
        };
        try {
          await m.creditNotes.create(doc);
          return doc;
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
          const raced = await existing();
          if (raced) return raced;
          if (attempt > 20) throw err;
          await deps.numbers.skipCreditNote(inv.issuerId, periodOf(now), id);
        }
      }
    },
    { ttlMs: 15_000, waitMs: 5_000 },
  );
}
