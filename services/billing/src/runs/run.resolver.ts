import { authorize, notFound, requireOperator } from '@csp/kernel';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { BillingContext } from '../context';
import type { InvoiceRunDoc } from './invoice-run.model';
import { InvoiceRun, StartInvoiceRunPayload } from './run.type';

async function toRun(ctx: BillingContext, doc: InvoiceRunDoc): Promise<InvoiceRun> {
  const p = await ctx.deps.runs.progress(doc);
  return Object.assign(new InvoiceRun(), { id: doc._id, period: doc.period, cutoff: doc.cutoff, ...p, failedReason: p.failedReason ?? null });
}

@Resolver(() => InvoiceRun)
export class InvoiceRunResolver {
  @Mutation(() => StartInvoiceRunPayload, { description: 'Operator: invoice a closed month. Starting it again returns the same run.' })
  async startInvoiceRun(@Arg('period') period: string, @Ctx() ctx: BillingContext): Promise<StartInvoiceRunPayload> {
    authorize(ctx, 'startInvoiceRun');
    requireOperator(ctx);
    const run = await ctx.deps.runs.ensureRun(period);
    return Object.assign(new StartInvoiceRunPayload(), { run: await toRun(ctx, run) });
  }

  @Query(() => InvoiceRun, { description: 'Operator: an invoice run and its progress.' })
  async invoiceRun(@Arg('id', () => ID) id: string, @Ctx() ctx: BillingContext): Promise<InvoiceRun> {
    authorize(ctx, 'invoiceRun');
    requireOperator(ctx);
    const doc = await ctx.deps.models.runs.findById(id).lean<InvoiceRunDoc>();
    if (!doc) throw notFound('Invoice run', id);
    return toRun(ctx, doc);
  }
}
