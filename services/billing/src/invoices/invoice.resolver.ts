import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { authorize, badInput, billingPeriod, forbidden, Money, notFound, paginate, PageArgs, requireCaller, type Caller, type ConnectionShape } from '@csp/kernel';
import type { BillingContext } from '../context';
import { toCreditNote } from '../credit-notes/credit-note.resolver';
import { CreditNote } from '../credit-notes/credit-note.type';
import { PERIOD_RE } from '@csp/kernel';
import { dayOf } from '../money/dates';
import { formatMoney } from '../money/decimal';
import { recordPayment } from '../payments/record-payment';
import { settle, type Settlement } from '../payments/settlement';
import { MoneyInput } from '@csp/kernel';
import { RecordPaymentPayload } from '../payments/payment.type';
import type { InvoiceDoc, LineItemDoc } from './invoice.model';
import { Invoice, InvoiceConnection, InvoiceLineItem, InvoiceLineItemConnection, InvoiceStatusEnum, MarkInvoicePaidPayload, toInvoice, toLineItem } from './invoice.type';
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

/** One invoice the caller issued (payments, credit notes): NOT_FOUND if unseen, FORBIDDEN for the bill-to. */
export async function issuedInvoice(ctx: BillingContext, id: string, what: string): Promise<{ caller: Caller; doc: InvoiceDoc }> {
  const caller = requireCaller(ctx);
  const doc = await visibleInvoice(ctx, id);
  if (doc.issuerId !== callerParty(caller)) throw forbidden(`Only the issuer of an invoice may ${what}.`);
  return { caller, doc };
}

async function settlementOf(ctx: BillingContext, inv: Invoice): Promise<Settlement> {
  return settle(inv.doc, await ctx.loaders.invoiceEvents.load(inv.id), ctx.deps.clock.now());
}

@Resolver(() => Invoice)
export class InvoiceResolver {
  @Query(() => InvoiceConnection, { description: 'Invoices the caller issued or received.' })
  async invoices(@Args() args: InvoicesArgs, @Ctx() ctx: BillingContext): Promise<ConnectionShape<Invoice>> {
    authorize(ctx, 'invoices');
    const caller = requireCaller(ctx);
    if (args.period != null) billingPeriod(args.period);
    const filter = args.period ? { $and: [visibleInvoices(caller), { period: args.period }] } : visibleInvoices(caller);
    return paginate(ctx.deps.models.invoices, filter, args, toInvoice);
  }

  @Query(() => Invoice, { description: 'One invoice the caller issued or received (else NOT_FOUND).' })
  async invoice(@Arg('id', () => ID) id: string, @Ctx() ctx: BillingContext): Promise<Invoice> {
    authorize(ctx, 'invoice');
    return toInvoice(await visibleInvoice(ctx, id));
  }

  @Mutation(() => MarkInvoicePaidPayload, { description: 'The issuer marks its invoice paid (the operator for vendor invoices): a payment of the whole balance, today.' })
  async markInvoicePaid(@Arg('id', () => ID) id: string, @Ctx() ctx: BillingContext): Promise<MarkInvoicePaidPayload> {
    authorize(ctx, 'markInvoicePaid');
    const { caller, doc } = await issuedInvoice(ctx, id, 'mark it paid');
    const s = settle(doc, await ctx.loaders.invoiceEvents.load(id), ctx.deps.clock.now());
    if (s.balance.gt(0)) {
      await recordPayment(ctx.deps, doc, {
        amount: formatMoney(s.balance, doc.currency),
        currency: doc.currency,
        receivedOn: dayOf(ctx.deps.clock.now()),
        idempotencyKey: 'markInvoicePaid',
        recordedBy: caller.userId ?? caller.kind,
      });
      ctx.loaders.invoiceEvents.clear(id);
    }
    return Object.assign(new MarkInvoicePaidPayload(), { invoice: toInvoice(doc) });
  }

  @Mutation(() => RecordPaymentPayload, { description: 'The issuer records a payment received; partial payments add up; the same idempotency key records it once.' })
  async recordPayment(
    @Arg('invoiceId', () => ID) invoiceId: string,
    @Arg('amount', () => MoneyInput) amount: MoneyInput,
    @Arg('receivedOn', { description: 'YYYY-MM-DD, not in the future.' }) receivedOn: string,
    @Arg('idempotencyKey') idempotencyKey: string,
    @Ctx() ctx: BillingContext,
  ): Promise<RecordPaymentPayload> {
    authorize(ctx, 'recordPayment');
    const { caller, doc } = await issuedInvoice(ctx, invoiceId, 'record payments');
    await recordPayment(ctx.deps, doc, { amount: amount.amount, currency: amount.currency.trim().toUpperCase(), receivedOn, idempotencyKey, recordedBy: caller.userId ?? caller.kind });
    ctx.loaders.invoiceEvents.clear(invoiceId);
    return Object.assign(new RecordPaymentPayload(), { invoice: toInvoice(doc) });
  }

  @FieldResolver(() => InvoiceStatusEnum, { description: 'By payments, credit notes and the platform clock.' })
  async status(@Root() inv: Invoice, @Ctx() ctx: BillingContext): Promise<string> {
    return (await settlementOf(ctx, inv)).status;
  }

  @FieldResolver(() => Money, { description: 'What is still owed: total − Σ payments − Σ credit notes.' })
  async balance(@Root() inv: Invoice, @Ctx() ctx: BillingContext): Promise<Money> {
    return Money.of(formatMoney((await settlementOf(ctx, inv)).balance, inv.currency), inv.currency);
  }

  @FieldResolver(() => Money, { description: 'Σ payments recorded.' })
  async paid(@Root() inv: Invoice, @Ctx() ctx: BillingContext): Promise<Money> {
    return Money.of(formatMoney((await settlementOf(ctx, inv)).paid, inv.currency), inv.currency);
  }

  @FieldResolver(() => Date, { nullable: true, description: 'When the last payment made it PAID.' })
  async paidAt(@Root() inv: Invoice, @Ctx() ctx: BillingContext): Promise<Date | null> {
    return (await settlementOf(ctx, inv)).paidAt ?? null;
  }

  @FieldResolver(() => [CreditNote], { description: 'Credit notes issued against this invoice, oldest first.' })
  async creditNotes(@Root() inv: Invoice, @Ctx() ctx: BillingContext): Promise<CreditNote[]> {
    return (await ctx.loaders.invoiceEvents.load(inv.id)).creditNotes.map(toCreditNote);
  }

  @FieldResolver(() => InvoiceLineItemConnection, { description: 'The lines, in invoice order; their amounts sum to the subtotal exactly.' })
  async lineItems(@Root() inv: Invoice, @Args() page: PageArgs, @Ctx() ctx: BillingContext): Promise<ConnectionShape<InvoiceLineItem>> {
    return paginate<LineItemDoc, InvoiceLineItem>(ctx.deps.models.lines, { invoiceId: inv.id }, page, toLineItem);
  }

  @FieldResolver(() => String, { description: 'The same lines as CSV (RFC 4180), header row first, exact amounts; converted lines show the rate and the market-currency amount.' })
  async reconciliationCsv(@Root() inv: Invoice, @Ctx() ctx: BillingContext): Promise<string> {
    return reconciliationCsv(ctx.deps.models.lines, inv.doc);
  }

}
