import { createHash } from 'node:crypto';
import { currentTraceparent, isDuplicateKey, withLock, type Clock, type Logger } from '@csp/kernel';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Model } from 'mongoose';
import type { PriceBook } from '../catalog/price-book';
import type { BillCustomerDoc, PartnerDoc } from '../directory/directory.model';
import { periodEnd } from '../money/dates';
import { Dec } from '../money/decimal';
import { loadPriceFactors, sellerOf } from '../pricing/price-factors';
import type { MarkupDoc } from '../pricing/pricing.model';
import { priceLine, sumAmounts, type PricedLine } from '../rating/charge-line';
import type { ChargeService } from '../rating/charge.service';
import { runWindow } from '../runs/billing-window';
import type { InvoiceRunDoc, RunTaskDoc } from '../runs/invoice-run.model';
import type { SubFactDoc } from '../subscriptions/sub-fact.model';
import { licenseSegments, subViews, type SubView } from '../subscriptions/timeline';
import type { UsageRecordDoc } from '../usage/usage-record.model';
import { billJobId, taskId, type BillJob, type RunJob } from '../jobs/queues';
import type { InvoiceDoc, InvoiceKind, LineItemDoc } from './invoice.model';
import { invoiceNumber, skipNumber } from './numbering';
import { VENDOR_ID } from './parties';
import { invoicesIssued } from '../metrics';


interface Models {
  runs: Model<InvoiceRunDoc>;
  tasks: Model<RunTaskDoc>;
  invoices: Model<InvoiceDoc>;
  lines: Model<LineItemDoc>;
  usage: Model<UsageRecordDoc>;
  subFacts: Model<SubFactDoc>;
  partners: Model<PartnerDoc>;
  customers: Model<BillCustomerDoc>;
  markups: Model<MarkupDoc>;
}


/** Who bills whom for one subscription: the three invoice kinds (the middle one only via a reseller). */
export function billTosOf(s: SubView): Array<Pick<BillJob, 'kind' | 'issuerId' | 'billToId'>> {
  const out: Array<Pick<BillJob, 'kind' | 'issuerId' | 'billToId'>> = [{ kind: 'VENDOR_TO_PARTNER', issuerId: VENDOR_ID, billToId: s.partnerId }];
  if (s.resellerId) out.push({ kind: 'DISTRIBUTOR_TO_RESELLER', issuerId: s.partnerId, billToId: s.resellerId });
  out.push({ kind: 'PARTNER_TO_CUSTOMER', issuerId: sellerOf(s), billToId: s.customerId });
  return out;
}

/** Deterministic invoice id: the same bill-to, month and currency always name the same invoice. */
export function invoiceIdOf(kind: InvoiceKind, issuerId: string, billToId: string, period: string, currency: string): string {
  const h = createHash('sha256').update([kind, issuerId, billToId, period, currency].join('|')).digest('hex').slice(0, 20);
  return `inv_${period.replace('-', '')}_${h}`;
}

/**
 * The worker side of an invoice run: `plan` finds every bill-to with charges in the month and
 * fans out one job each; `bill` issues one bill-to's invoice(s). Both can run again after a
 * crash or on a second worker without issuing anything twice.
 */
export class InvoicingService {
  constructor(
    private readonly m: Models,
    private readonly charges: ChargeService,
    private readonly loadPriceBook: () => Promise<PriceBook>,
    private readonly queue: Queue,
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly opts: { vendorName: string; billDelayMs: number; lockMs: number },
  ) {}

  async plan(job: RunJob): Promise<number> {
    const run = await this.m.runs.findById(job.runId).lean<InvoiceRunDoc>();
    if (!run) throw new Error(`invoice run ${job.runId} not found`);
    // Plan once the cutoff has passed (plus a moment for ingestion writes in flight at it).
    const wait = run.cutoff.getTime() - this.clock.now().getTime() + (run.cutoff > run.createdAt ? 500 : 0);
    if (wait > 0) await new Promise((r) => setTimeout(r, Math.min(wait, 60_000)));
    if (!run.startedAt) await this.m.runs.updateOne({ _id: run._id, startedAt: { $exists: false } }, { $set: { startedAt: this.clock.now() } });
    const runs = await this.charges.runCuts();
    // Subscriptions with charges in the month: usage in the run's window, licenses active in it.
    const usageSubs = await this.m.usage.aggregate<{ _id: string }>([
      { $match: runWindow(runs, run) },
      { $group: { _id: '$subscriptionId', n: { $sum: 1 } } },
    ]);
    const licenseFacts = await this.m.subFacts.find({ billingType: 'LICENSE', at: { $lt: periodEnd(run.period) } }).lean<SubFactDoc[]>();
    const licensed = [...subViews(licenseFacts).values()].filter((s) => licenseSegments(s, run.period).length);
    const usageViews = usageSubs.length ? await this.charges.views({ subscriptionId: { $in: usageSubs.map((u) => u._id) } }) : new Map<string, SubView>();
    const jobs = new Map<string, BillJob>();
    for (const s of [...licensed, ...usageViews.values()]) {
      for (const b of billTosOf(s)) {
        const j: BillJob = { runId: run._id, period: run.period, requestId: job.requestId, traceparent: currentTraceparent(), ...b };
        jobs.set(taskId(j), j);
      }
    }
    const tasks = [...jobs.values()].map((j) => ({ _id: taskId(j), runId: j.runId, kind: j.kind, issuerId: j.issuerId, billToId: j.billToId, done: false }));
    if (tasks.length) {
      await this.m.tasks.collection.insertMany(tasks as never[], { ordered: false }).catch((err) => {
        if (!isDuplicateKey(err)) throw err;
      });
      await this.queue.addBulk([...jobs.values()].map((j) => ({ name: 'bill', data: j, opts: { jobId: billJobId(j) } })));
    }
    await this.m.runs.updateOne({ _id: run._id }, { $set: { planned: true } });
    this.logger.info({ period: run.period, billTos: tasks.length }, 'invoice run planned');
    return tasks.length;
  }

  /** Issues one bill-to's invoice(s) for the month (one per currency), then marks its task done. */
  async bill(job: BillJob): Promise<number> {
    const run = await this.m.runs.findById(job.runId).lean<InvoiceRunDoc>();
    if (!run) throw new Error(`invoice run ${job.runId} not found`);
    const filter =
      job.kind === 'VENDOR_TO_PARTNER'
        ? { partnerId: job.billToId }
        : job.kind === 'DISTRIBUTOR_TO_RESELLER'
          ? { partnerId: job.issuerId, resellerId: job.billToId }
          : { customerId: job.billToId };
    const all = await this.charges.views(filter);
    const subs = new Map([...all].filter(([, s]) => job.kind !== 'PARTNER_TO_CUSTOMER' || sellerOf(s) === job.issuerId));
    const book = await this.loadPriceBook();
    const charges = await this.charges.forRun(run, subs, book);
    const factors = await this.factors(job, subs);
    const byCurrency = new Map<string, PricedLine[]>();
    for (const c of charges) {
      const line = priceLine(c, factors(subs.get(c.subscriptionId)!));
      byCurrency.set(c.currency, [...(byCurrency.get(c.currency) ?? []), line]);
    }
    const names = await this.names(job);
    let issued = 0;
    for (const [currency, lines] of byCurrency) {
      if (await this.issue(job, run, currency, lines, names)) issued++;
    }
    await this.m.tasks.updateOne({ _id: taskId(job) }, { $set: { done: true } });
    return issued;
  }

  /** Price factor per subscription for this invoice kind: the markups of the tiers above the bill-to. */
  private async factors(job: BillJob, subs: Map<string, SubView>): Promise<(s: SubView) => Dec> {
    if (job.kind === 'VENDOR_TO_PARTNER') return () => new Dec(1);
    const f = await loadPriceFactors(this.m.markups, subs.values());
    return job.kind === 'DISTRIBUTOR_TO_RESELLER' ? f.reseller : f.customer;
  }

  private async names(job: BillJob): Promise<{ issuer: string; billTo: string }> {
    const partnerIds = [job.issuerId, job.billToId].filter((id) => id !== VENDOR_ID);
    const [partners, customer] = await Promise.all([
      this.m.partners.find({ _id: { $in: partnerIds } }).lean<PartnerDoc[]>(),
      job.kind === 'PARTNER_TO_CUSTOMER' ? this.m.customers.findById(job.billToId).lean<BillCustomerDoc>() : Promise.resolve(null),
    ]);
    const name = (id: string) => (id === VENDOR_ID ? this.opts.vendorName : partners.find((p) => p._id === id)?.name ?? id);
    return { issuer: name(job.issuerId), billTo: customer?.companyName ?? name(job.billToId) };
  }

  /**
   * Writes the lines, then the invoice header as the commit point, under the invoice's lock.
   * Lines left by a crashed attempt (no header yet) are a draft: dropped and written again.
   */
  private async issue(job: BillJob, run: InvoiceRunDoc, currency: string, lines: PricedLine[], names: { issuer: string; billTo: string }): Promise<boolean> {
    const id = invoiceIdOf(job.kind, job.issuerId, job.billToId, run.period, currency);
    return withLock(
      this.redis,
      `${this.prefix}:billing:lock:invoice:${id}`,
      async () => {
        if (await this.m.invoices.exists({ _id: id })) return false;
        await this.m.lines.deleteMany({ invoiceId: id });
        const docs: LineItemDoc[] = lines.map((l, i) => ({
          _id: `${id}:${String(i).padStart(6, '0')}`,
          invoiceId: id,
          lineKey: l.lineKey,
          customerId: l.customerId,
          subscriptionId: l.subscriptionId,
          chargeType: l.chargeType,
          description: l.description,
          meterId: l.meterId,
          quantity: l.quantity,
          unitPrice: l.unitPrice,
          amount: l.amount,
          usageFrom: l.usageFrom,
          usageTo: l.usageTo,
        }));
        if (docs.length) await this.m.lines.collection.insertMany(docs as never[], { ordered: false });
        // Crash tests kill the worker here: lines written, invoice not yet issued.
        if (this.opts.billDelayMs > 0) await new Promise((r) => setTimeout(r, this.opts.billDelayMs));
        const subtotal = sumAmounts(lines.map((l) => l.amount), currency);
        for (let attempt = 0; ; attempt++) {
          const number = await invoiceNumber(this.redis, this.prefix, job.issuerId, run.period, id);
          try {
            await this.m.invoices.create({
              _id: id,
              number,
              kind: job.kind,
              period: run.period,
              currency,
              issuerId: job.issuerId,
              issuerName: names.issuer,
              billToId: job.billToId,
              billToName: names.billTo,
              subtotal,
              total: subtotal,
              lineCount: docs.length,
              status: 'ISSUED',
              runId: run._id,
              issuedAt: this.clock.now(),
            });
            invoicesIssued.inc({ kind: job.kind });
            return true;
          } catch (err) {
            if (!isDuplicateKey(err)) throw err;
            if (await this.m.invoices.exists({ _id: id })) return false;
            // The number is taken (the sequence was lost): draw another.
            if (attempt > 20) throw err;
            await skipNumber(this.redis, this.prefix, job.issuerId, run.period, id);
          }
        }
      },
      // As long as a job's own lock: a dead holder's lock lapses when its job is taken over.
      { ttlMs: this.opts.lockMs, waitMs: 2_000 },
    );
  }
}
