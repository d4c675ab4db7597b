import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { authorize, badInput, forbidden, notFound, paginate, PageArgs, requireCaller, type ConnectionShape } from '@csp/kernel';
import type { BillingContext } from '../context';
import { PERIOD_RE } from '../money/dates';
import type { InvoiceDoc, LineItemDoc } from './invoice.model';
import { Invoice, InvoiceConnection, InvoiceLineItem, InvoiceLineItemConnection, MarkInvoicePaidPayload, toInvoice, toLineItem } from './invoice.type';
import { reconciliationCsv } from './reconciliation-csv';
import { callerParty, visibleInvoices } from './visibility';

@ArgsType()
class InvoicesArgs extends PageArgs {
  @Field({ nullable: true, description: 'Only this month (YYYY-MM).' }) period?: string;
}

/** One invoice the caller may see, else NOT_FOUND (another party's id leaks nothing). */
export async function visibleInvoice(ctx: BillingContext, id: string): Promise<InvoiceDoc> {
  const caller = requireCaller(ctx);
  const doc = await ctx.deps.models.invoices.findOne({ $and: [{ _id: id }, visibleInvoices(caller)] }).lean<InvoiceDoc>();
  if (!doc) throw notFound('Invoice', id);
  return doc;
}

@Resolver(() => Invoice)
export class InvoiceResolver {
  @Query(() => InvoiceConnection, { description: 'Invoices the caller issued or received.' })
  async invoices(@Args() args: InvoicesArgs, @Ctx() ctx: BillingContext): Promise<ConnectionShape<Invoice>> {
    authorize(ctx, 'invoices');
    const caller = requireCaller(ctx);
    if (args.period != null && !PERIOD_RE.test(args.period)) throw badInput('period must be "YYYY-MM"', 'period');
    const filter = args.period ? { $and: [visibleInvoices(caller), { period: args.period }] } : visibleInvoices(caller);
    return paginate(ctx.deps.models.invoices, filter, args, toInvoice);
  }

  @Query(() => Invoice, { description: 'One invoice the caller issued or received (else NOT_FOUND).' })
  async invoice(@Arg('id', () => ID) id: string, @Ctx() ctx: BillingContext): Promise<Invoice> {
    authorize(ctx, 'invoice');
    return toInvoice(await visibleInvoice(ctx, id));
  }

  @Mutation(() => MarkInvoicePaidPayload, { description: 'The issuer marks its invoice paid (the operator for vendor invoices).' })
  async markInvoicePaid(@Arg('id', () => ID) id: string, @Ctx() ctx: BillingContext): Promise<MarkInvoicePaidPayload> {
    authorize(ctx, 'markInvoicePaid');
    const caller = requireCaller(ctx);
    const doc = await visibleInvoice(ctx, id);
    if (doc.issuerId !== callerParty(caller)) throw forbidden('Only the issuer of an invoice may mark it paid.');
    const m = ctx.deps.models.invoices;
    if (doc.status === 'ISSUED') await m.updateOne({ _id: id, status: 'ISSUED' }, { $set: { status: 'PAID', paidAt: ctx.deps.clock.now() } });
    const after = (await m.findById(id).lean<InvoiceDoc>())!;
    return Object.assign(new MarkInvoicePaidPayload(), { invoice: toInvoice(after) });
  }

  @FieldResolver(() => InvoiceLineItemConnection, { description: 'The lines, in invoice order; their amounts sum to the subtotal exactly.' })
  async lineItems(@Root() inv: Invoice, @Args() page: PageArgs, @Ctx() ctx: BillingContext): Promise<ConnectionShape<InvoiceLineItem>> {
    return paginate<LineItemDoc, InvoiceLineItem>(ctx.deps.models.lines, { invoiceId: inv.id }, page, toLineItem);
  }

  @FieldResolver(() => String, { description: 'The same lines as CSV (RFC 4180), header row first, exact amounts.' })
  async reconciliationCsv(@Root() inv: Invoice, @Ctx() ctx: BillingContext): Promise<string> {
    return reconciliationCsv(ctx.deps.models.lines, inv.doc);
  }
}
