import { sellsTo } from '../directory/sells-to';
import { authorize, badInput, Money, notFound, requireCaller } from '@csp/kernel';
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { BillingContext } from '../context';
import type { PartnerDoc } from '../directory/directory.model';
import type { InvoiceDoc } from '../invoices/invoice.model';
import { VENDOR_ID } from '../invoices/parties';
import { callerParty } from '../invoices/visibility';
import { Dec, formatMoney } from '../money/decimal';
import { termsId } from './payment.model';
import { InvoiceSummary, PaymentTerms } from './payment.type';
import { loadInvoiceEvents, settle } from './settlement';

const ZERO = () => ({ receivable: new Dec(0), payable: new Dec(0), overdueReceivable: new Dec(0), overduePayable: new Dec(0), count: 0 });

@Resolver()
export class PaymentsResolver {
  @Query(() => [InvoiceSummary], { description: "Per currency: what the caller is owed (receivable), owes (payable) and what of it is overdue, from its issued and received invoices." })
  async invoiceSummaries(@Ctx() ctx: BillingContext): Promise<InvoiceSummary[]> {
    authorize(ctx, 'invoiceSummaries');
    const caller = requireCaller(ctx);
    const party = caller.kind === 'CUSTOMER_USER' ? caller.customerId : callerParty(caller);
    if (!party) return [];
    const filter: Record<string, unknown> =
      caller.kind === 'CUSTOMER_USER' ? { billToId: party, kind: 'PARTNER_TO_CUSTOMER' } : { $or: [{ issuerId: party }, { billToId: party }] };
    const invoices = await ctx.deps.models.invoices.find(filter, { _id: 1, currency: 1, total: 1, status: 1, dueAt: 1, paidAt: 1, issuerId: 1, billToId: 1 }).lean<InvoiceDoc[]>();
    const events = await loadInvoiceEvents(ctx.deps.models, invoices.map((i) => i._id));
    const now = ctx.deps.clock.now();
    const by = new Map<string, ReturnType<typeof ZERO>>();
    for (const inv of invoices) {
      const s = settle(inv, events.get(inv._id)!, now);
      const acc = by.get(inv.currency) ?? ZERO();
      acc.count++;
      if (inv.issuerId === party) {
        acc.receivable = acc.receivable.plus(s.balance);
        if (s.status === 'OVERDUE') acc.overdueReceivable = acc.overdueReceivable.plus(s.balance);
      } else {
        acc.payable = acc.payable.plus(s.balance);
        if (s.status === 'OVERDUE') acc.overduePayable = acc.overduePayable.plus(s.balance);
      }
      by.set(inv.currency, acc);
    }
    const money = (d: Dec, c: string) => Money.of(formatMoney(d, c), c);
    return [...by]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([c, a]) =>
        Object.assign(new InvoiceSummary(), {
          currency: c,
          receivable: money(a.receivable, c),
          payable: money(a.payable, c),
          overdue: money(a.overdueReceivable.plus(a.overduePayable), c),
          overdueReceivable: money(a.overdueReceivable, c),
          overduePayable: money(a.overduePayable, c),
          invoiceCount: a.count,
        }),
      );
  }

  @Mutation(() => PaymentTerms, {
    description: 'The issuer of an agreement sets its payment terms (net days; default 30) for invoices issued from now on: the operator for a partner it bills, a partner for its customer or linked reseller.',
  })
  async setPaymentTerms(@Arg('billToId', () => ID) billToId: string, @Arg('netDays', () => Int) netDays: number, @Ctx() ctx: BillingContext): Promise<PaymentTerms> {
    authorize(ctx, 'setPaymentTerms');
    const caller = requireCaller(ctx);
    const m = ctx.deps.models;
    let issuer: string | undefined;
    if (caller.kind === 'OPERATOR') {
      const p = await m.partners.findById(billToId).lean<PartnerDoc>();
      if (p && p.tier !== 'INDIRECT_RESELLER') issuer = VENDOR_ID;
    } else if (caller.kind === 'PARTNER_USER' && caller.partnerId) {
      const [{ sells }, linked] = await Promise.all([sellsTo(m, caller.partnerId, billToId), m.resellerLinks.exists({ _id: `${caller.partnerId}|${billToId}` })]);
      if (sells || linked) issuer = caller.partnerId;
    }
    if (!issuer) throw notFound('Bill-to', billToId);
    if (!Number.isInteger(netDays) || netDays < 0 || netDays > 365) throw badInput('netDays must be a whole number of days from 0 to 365', 'netDays');
    await m.paymentTerms.updateOne({ _id: termsId(issuer, billToId) }, { $set: { netDays, setAt: ctx.deps.clock.now() } }, { upsert: true });
    return Object.assign(new PaymentTerms(), { billToId, netDays });
  }
}
