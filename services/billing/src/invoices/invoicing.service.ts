import { createHash } from 'node:crypto';
import { crashPoint, currentTraceparent, isDuplicateKey, sleepUntil, type Clock, type Logger } from '@csp/kernel';
import { UnrecoverableError, type Queue } from 'bullmq';
import type { Model } from 'mongoose';
import type { PriceBook } from '../catalog/price-book';
import type { BillCustomerDoc, PartnerDoc } from '../directory/directory.model';
import { dayInPeriod, daysInPeriod, periodEnd } from '../money/dates';
import { Dec, formatMoney } from '../money/decimal';
import { loadPriceFactors, sellerOf, storeMarkups, type DatedFactor } from '../pricing/price-factors';
import type { MarkupDoc } from '../pricing/pricing.model';
import type { MarkupVersionDoc } from '../pricing/markup-schedule.model';
import { sumAmounts, type PricedLine } from '../rating/charge-line';
import { priceLineIn } from '../rating/fx-conversion';
import { FxTable, missingRateReason, type FxRate } from '../fx/fx-table';
import type { FxRateDoc } from '../fx/fx-rate.model';
import type { TaxRateDoc } from '../tax/tax-rate.model';
import { taxAmount, taxTreatment, type TaxTreatment } from '../tax/tax-rules';
import { DEFAULT_NET_DAYS, termsId, type PaymentTermsDoc } from '../payments/payment.model';
import { contentHash } from './content-hash';
import type { ChargeService } from '../rating/charge.service';
import type { PartnerChargeService } from '../rating/partner-charge.service';
import { monthWindows } from '../runs/billing-window';
import type { InvoiceRunDoc, RunTaskDoc } from '../runs/invoice-run.model';
import type { SubFactDoc } from '../subscriptions/sub-fact.model';
import { licenseSegments, subViews, type SubView } from '../subscriptions/timeline';
import type { UsageMonths } from '../usage/usage-months';
import { billJobId, taskId, type BillJob, type RunJob } from '../runs/queues';
import type { InvoiceDoc, InvoiceKind, LineItemDoc } from './invoice.model';
import { announceInvoice, type InvoiceFactDoc } from './invoice-fact.model';
import type { InvoiceLocks } from './invoice-locks';
import type { DocumentNumbers } from './numbering';
import { VENDOR_ID } from './parties';
import { invoicesIssued } from '../metrics';


interface Models {
  runs: Model<InvoiceRunDoc>;
  tasks: Model<RunTaskDoc>;
  invoices: Model<InvoiceDoc>;
  lines: Model<LineItemDoc>;
  subFacts: Model<SubFactDoc>;
  partners: Model<PartnerDoc>;
  customers: Model<BillCustomerDoc>;
  markups: Model<MarkupDoc>;
  invoiceFacts: Model<InvoiceFactDoc>;
  markupSchedule: Model<MarkupVersionDoc>;
  fxRates: Model<FxRateDoc>;
  taxRates: Model<TaxRateDoc>;
  paymentTerms: Model<PaymentTermsDoc>;
}

/** Who issues and who receives one bill-to's invoices, as the documents print them. */
interface Parties {
  issuer: string;
  billTo: string;
  /** The bill-to's agreed currency (undefined: the charges' own). */
  currency?: string;
  sellerCountry?: string;
  buyerCountry?: string;
  buyerTaxId?: string;
}

/** Everything an invoice is issued with besides its lines. */
interface IssueTerms {
  parties: Parties;
  fx: FxRate[];
  tax?: TaxTreatment;
  netDays: number;
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
    private readonly locks: InvoiceLocks,
    private readonly numbers: DocumentNumbers,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly opts: { vendorName: string; vendorCountry?: string; billDelayMs: number; lockMs: number },
    private readonly partnerCharges: PartnerChargeService,
    private readonly usageMonths: UsageMonths,
  ) {}

  async plan(job: RunJob): Promise<number> {
    const run = await this.m.runs.findById(job.runId).lean<InvoiceRunDoc>();
    if (!run) throw new Error(`invoice run ${job.runId} not found`);
    // Plan once the cutoff has passed (plus a moment for ingestion writes in flight at it).
    await sleepUntil(this.clock, new Date(run.cutoff.getTime() + (run.cutoff > run.createdAt ? 500 : 0)));
    if (!run.startedAt) await this.m.runs.updateOne({ _id: run._id, startedAt: { $exists: false } }, { $set: { startedAt: this.clock.now() } });
    const runs = await this.charges.runCuts();
    // Subscriptions with charges in the month: usage in the run's window, licenses active in it.
    const usageSubs = await this.usageMonths.subscriptionsIn(monthWindows(runs, run));
    const licenseFacts = await this.m.subFacts.find({ billingType: 'LICENSE', at: { $lt: periodEnd(run.period) } }).lean<SubFactDoc[]>();
    const licensed = [...subViews(licenseFacts).values()].filter((s) => licenseSegments(s, run.period).length);
    const usageViews = usageSubs.length ? await this.charges.views({ subscriptionId: { $in: usageSubs } }) : new Map<string, SubView>();
    const jobs = new Map<string, BillJob>();
    for (const s of [...licensed, ...usageViews.values()]) {
      for (const b of billTosOf(s)) {
        const j: BillJob = { runId: run._id, period: run.period, requestId: job.requestId, traceparent: currentTraceparent(), ...b };
        jobs.set(taskId(j), j);
      }
    }
    // A partner's own offers and one-off charges: its invoices to its customers only.
    for (const b of await this.partnerCharges.billTos(run, runs)) {
      const j: BillJob = { runId: run._id, period: run.period, requestId: job.requestId, ...b };
      jobs.set(taskId(j), j);
    }
    const tasks = [...jobs.values()].map((j) => ({ _id: taskId(j), runId: j.runId, kind: j.kind, issuerId: j.issuerId, billToId: j.billToId, done: false }));
    if (tasks.length) {
      await this.m.tasks.collection.insertMany(tasks as never[], { ordered: false }).catch((err) => {
        if (!isDuplicateKey(err)) throw err;
      });
      crashPoint('invoice-run.tasks-planned');
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
    const factor = await this.factors(job, subs);
    // Dated prices: a markup changing inside the month splits the charges at its day.
    const charges = await this.charges.forRun(run, subs, book, (s) => factor.cuts(s));
    const parties = await this.parties(job);
    // Everything is checked before anything is written: a missing rate fails this bill-to only,
    // with nothing half-made, and the job retried once the rate is published issues it.
    const fxTable = charges.some((c) => parties.currency && c.currency !== parties.currency) ? await FxTable.load(this.m.fxRates, run.period) : undefined;
    const byCurrency = new Map<string, { lines: PricedLine[]; fx: Map<string, FxRate> }>();
    for (const c of charges) {
      const target = parties.currency ?? c.currency;
      const fx = c.currency === target ? undefined : fxTable!.rate(c.currency, target);
      if (c.currency !== target && !fx) throw new UnrecoverableError(missingRateReason(c.currency, target, run.period));
      const sub = subs.get(c.subscriptionId)!;
      const line = priceLineIn(c, factor.at(sub, c.usageFrom), target, fx);
      const group = byCurrency.get(target) ?? { lines: [], fx: new Map<string, FxRate>() };
      group.lines.push(line);
      if (fx) group.fx.set(fx.from, fx);
      byCurrency.set(target, group);
    }
    if (job.kind === 'PARTNER_TO_CUSTOMER') {
      // A partner's own offers and one-off charges, at its own prices (no markup), on its own
      // invoice to the customer, converted like every other line into the agreed currency.
      const own = await this.partnerCharges.forRun(run, await this.charges.runCuts(), job.issuerId, job.billToId, subs);
      const ownFx = fxTable ?? (own.some((c) => parties.currency && c.currency !== parties.currency) ? await FxTable.load(this.m.fxRates, run.period) : undefined);
      for (const c of own) {
        const target = parties.currency ?? c.currency;
        const fx = c.currency === target ? undefined : ownFx!.rate(c.currency, target);
        if (c.currency !== target && !fx) throw new UnrecoverableError(missingRateReason(c.currency, target, run.period));
        const group = byCurrency.get(target) ?? { lines: [], fx: new Map<string, FxRate>() };
        group.lines.push(priceLineIn(c, new Dec(1), target, fx));
        if (fx) group.fx.set(fx.from, fx);
        byCurrency.set(target, group);
      }
    }
    const [taxRates, terms] = await Promise.all([
      parties.buyerCountry ? this.m.taxRates.find({ country: parties.buyerCountry }).lean<TaxRateDoc[]>() : Promise.resolve([]),
      this.m.paymentTerms.findById(termsId(job.issuerId, job.billToId)).lean<PaymentTermsDoc>(),
    ]);
    // The tax point: the last day of the month supplied.
    const tax = taxTreatment(parties, taxRates, dayInPeriod(run.period, daysInPeriod(run.period)));
    let issued = 0;
    for (const [currency, g] of byCurrency) {
      const issueTerms: IssueTerms = { parties, fx: [...g.fx.values()], tax, netDays: terms?.netDays ?? DEFAULT_NET_DAYS };
      if (await this.issue(job, run, currency, g.lines, issueTerms)) issued++;
    }
    crashPoint('invoice-run.bill-to-issued');
    await this.m.tasks.updateOne({ _id: taskId(job) }, { $set: { done: true } });
    return issued;
  }

  /** Price factor per subscription for this invoice kind: the markups of the tiers above the bill-to. */
  private async factors(job: BillJob, subs: Map<string, SubView>): Promise<DatedFactor> {
    if (job.kind === 'VENDOR_TO_PARTNER') return { at: () => new Dec(1), cuts: () => [] };
    const f = await loadPriceFactors(storeMarkups(this.m), subs.values());
    return job.kind === 'DISTRIBUTOR_TO_RESELLER' ? f.reseller : f.customer;
  }

  private async parties(job: BillJob): Promise<Parties> {
    const partnerIds = [job.issuerId, job.billToId].filter((id) => id !== VENDOR_ID);
    const [partners, customer] = await Promise.all([
      this.m.partners.find({ _id: { $in: partnerIds } }).lean<PartnerDoc[]>(),
      job.kind === 'PARTNER_TO_CUSTOMER' ? this.m.customers.findById(job.billToId).lean<BillCustomerDoc>() : Promise.resolve(null),
    ]);
    const name = (id: string) => (id === VENDOR_ID ? this.opts.vendorName : partners.find((p) => p._id === id)?.name ?? id);
    const seller = partners.find((p) => p._id === job.issuerId);
    const buyer = job.kind === 'PARTNER_TO_CUSTOMER' ? customer : partners.find((p) => p._id === job.billToId);
    return {
      issuer: name(job.issuerId),
      billTo: customer?.companyName ?? name(job.billToId),
      currency: buyer?.currency || undefined,
      sellerCountry: job.issuerId === VENDOR_ID ? this.opts.vendorCountry : seller?.country,
      buyerCountry: buyer?.country,
      buyerTaxId: buyer?.taxId,
    };
  }

  /**
   * Writes the lines, then the invoice header as the commit point, under the invoice's lock.
   * Lines left by a crashed attempt (no header yet) are a draft: dropped and written again.
   */
  private async issue(job: BillJob, run: InvoiceRunDoc, currency: string, lines: PricedLine[], terms: IssueTerms): Promise<boolean> {
    const names = terms.parties;
    const id = invoiceIdOf(job.kind, job.issuerId, job.billToId, run.period, currency);
    return this.locks.issue(
      id,
      async () => {
        const issued = await this.m.invoices.findById(id).lean<InvoiceDoc>();
        if (issued) {
          // Issued by an attempt that died before announcing it.
          await announceInvoice(this.m.invoiceFacts, issued, this.clock);
          return false;
        }
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
          ...(l.chargeId ? { chargeId: l.chargeId } : {}),
          quantity: l.quantity,
          unitPrice: l.unitPrice,
          amount: l.amount,
          usageFrom: l.usageFrom,
          usageTo: l.usageTo,
          ...(l.fxRate ? { sourceCurrency: l.sourceCurrency, sourceAmount: l.sourceAmount, fxRate: l.fxRate } : {}),
        }));
        if (docs.length) await this.m.lines.collection.insertMany(docs as never[], { ordered: false });
        crashPoint('invoice-run.lines-written');
        // Crash tests kill the worker here: lines written, invoice not yet issued.
        if (this.opts.billDelayMs > 0) await new Promise((r) => setTimeout(r, this.opts.billDelayMs));
        const subtotal = sumAmounts(lines.map((l) => l.amount), currency);
        const taxLines = terms.tax
          ? [{ description: terms.tax.description, ratePercent: terms.tax.ratePercent, base: subtotal, amount: formatMoney(taxAmount(new Dec(subtotal), terms.tax.ratePercent, currency), currency) }]
          : [];
        // total = subtotal + Σ tax, exactly (both already rounded).
        const total = formatMoney(taxLines.reduce((t, l) => t.plus(l.amount), new Dec(subtotal)), currency);
        const issuedAt = this.clock.now();
        for (let attempt = 0; ; attempt++) {
          const number = await this.numbers.invoice(job.issuerId, run.period, id);
          try {
            const header: Omit<InvoiceDoc, 'contentHash'> = {
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
              total,
              lineCount: docs.length,
              status: 'ISSUED',
              runId: run._id,
              issuedAt,
              taxLines,
              fx: terms.fx,
              ...(terms.tax?.legalNote ? { legalNote: terms.tax.legalNote } : {}),
              dueAt: new Date(issuedAt.getTime() + terms.netDays * 86_400_000),
              paymentTermsDays: terms.netDays,
              ...(names.sellerCountry ? { sellerCountry: names.sellerCountry } : {}),
              ...(names.buyerCountry ? { buyerCountry: names.buyerCountry } : {}),
              ...(names.buyerTaxId ? { buyerTaxId: names.buyerTaxId } : {}),
            };
            await this.m.invoices.create({ ...header, contentHash: contentHash(header, docs) });
            invoicesIssued.inc({ kind: job.kind });
            crashPoint('invoice-run.invoice-written');
            await announceInvoice(this.m.invoiceFacts, header, this.clock);
            return true;
          } catch (err) {
            if (!isDuplicateKey(err)) throw err;
            if (await this.m.invoices.exists({ _id: id })) return false;
            // The number is taken (the sequence was lost): draw another.
            if (attempt > 20) throw err;
            await this.numbers.skipInvoice(job.issuerId, run.period, id);
          }
        }
      },
      // As long as a job's own lock, and renewed as BullMQ renews the job's: a long issue keeps
      // it; a dead holder's lapses when its job is taken over.
      { ttlMs: this.opts.lockMs, waitMs: 2_000, renew: true },
    );
  }
}
