import { authorize, Money } from '@csp/kernel';
import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { BillingContext } from '../context';
import { issuedInvoice } from '../invoices/invoice.resolver';
import { Invoice, toInvoice, toTaxLine } from '../invoices/invoice.type';
import type { InvoiceDoc } from '../invoices/invoice.model';
import { creditNoteCsv } from './credit-note-csv';
import type { CreditNoteDoc } from './credit-note.model';
import { CreditNote, CreditNoteLine, IssueCreditNoteInput, IssueCreditNotePayload } from './credit-note.type';
import { issueCreditNote } from './issue-credit-note';

export const toCreditNote = (d: CreditNoteDoc): CreditNote =>
  Object.assign(new CreditNote(), {
    id: d._id,
    number: d.number,
    reason: d.reason,
    currency: d.currency,
    lines: d.lines.map((l) => Object.assign(new CreditNoteLine(), l)),
    taxLines: d.taxLines.map((t) => toTaxLine(t, d.currency)),
    subtotal: Money.of(d.subtotal, d.currency),
    total: Money.of(d.total, d.currency),
    issuedAt: d.issuedAt,
    doc: d,
  });

@Resolver(() => CreditNote)
export class CreditNoteResolver {
  @Mutation(() => IssueCreditNotePayload, { description: 'The issuer credits an issued invoice, wholly or by line (partial amounts allowed, never more than is left); the invoice itself never changes.' })
  async issueCreditNote(@Arg('input', () => IssueCreditNoteInput) input: IssueCreditNoteInput, @Ctx() ctx: BillingContext): Promise<IssueCreditNotePayload> {
    authorize(ctx, 'issueCreditNote');
    const { caller, doc } = await issuedInvoice(ctx, input.invoiceId, 'issue credit notes');
    const note = await issueCreditNote(ctx.deps, doc, { reason: input.reason, lines: input.lines, idempotencyKey: input.idempotencyKey, issuedBy: caller.userId ?? caller.kind });
    ctx.loaders.invoiceEvents.clear(doc._id);
    return Object.assign(new IssueCreditNotePayload(), { creditNote: toCreditNote(note) });
  }

  @FieldResolver(() => Invoice, { description: 'The invoice it corrects.' })
  async invoice(@Root() note: CreditNote, @Ctx() ctx: BillingContext): Promise<Invoice> {
    const doc = await ctx.deps.models.invoices.findById(note.doc.invoiceId).lean<InvoiceDoc>();
    return toInvoice(doc!);
  }

  @FieldResolver(() => String, { description: 'Its lines as CSV (RFC 4180), header first; amounts are credited (net) amounts.' })
  reconciliationCsv(@Root() note: CreditNote): string {
    return creditNoteCsv(note.doc);
  }
}
