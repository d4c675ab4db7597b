import { aggregateLocks, bullPrefix, defaultJobOptions, type Runtime, initModels } from '@csp/kernel';
import { Queue } from 'bullmq';
import { offerModel, offerPriceModel } from './catalog/offer.model';
import { catalogCaches } from './cache/catalog-cache';
import { rateCardModel } from './catalog/rate-card.model';
import { billingEnv } from './config';
import { billCustomerModel, partnerModel, relationshipModel, resellerLinkModel } from './directory/directory.model';
import { invoiceFactModel } from './invoices/invoice-fact.model';
import { invoiceModel, lineItemModel } from './invoices/invoice.model';
import { InvoiceLocks } from './invoices/invoice-locks';
import { InvoicingService } from './invoices/invoicing.service';
import { DocumentNumbers } from './invoices/numbering';
import { INVOICING_QUEUE } from './runs/queues';
import { markupModel } from './pricing/pricing.model';
import { markupScheduleModel } from './pricing/markup-schedule.model';
import { fxRateModel } from './fx/fx-rate.model';
import { taxRateModel } from './tax/tax-rate.model';
import { paymentModel, paymentTermsModel } from './payments/payment.model';
import { creditNoteModel } from './credit-notes/credit-note.model';
import { budgetAlertModel, spendingBudgetModel } from './budgets/budget.model';
import { ChargeService } from './rating/charge.service';
import { invoiceRunModel, runTaskModel } from './runs/invoice-run.model';
import { RunService } from './runs/run.service';
import { subFactModel } from './subscriptions/sub-fact.model';
import { ingestUsage, prepareUsage, storeUsage, type IngestDeps, type IngestResult, type SettleLater, type UsageBatches, type UsageWriter } from './usage/ingest';
import { requestBudgetCheck } from './budgets/budget.service';
import { usageRecordModel } from './usage/usage-record.model';
import { usageMonthModel, usagePendingModel } from './usage/usage-month.model';
import { UsageMonths } from './usage/usage-months';
import type { UsageRecordFact } from '@csp/events';
import { customerChargeModel } from './charges/customer-charge.model';
import { CustomerChargeService } from './charges/customer-charge.service';
import { partnerOfferModel, partnerOfferPriceModel } from './partner-offers/partner-offer.model';
import { PartnerChargeService } from './rating/partner-charge.service';

/** Built once per process (subgraph or worker): what resolvers and jobs need, never the Runtime itself. */
export async function buildDeps(rt: Runtime<typeof billingEnv>) {
  const settings = rt.settings;
  const conn = rt.mongo.connection;
  const models = {
    subFacts: subFactModel(conn),
    rateCards: rateCardModel(conn),
    offers: offerModel(conn),
    offerPrices: offerPriceModel(conn),
    partners: partnerModel(conn),
    resellerLinks: resellerLinkModel(conn),
    customers: billCustomerModel(conn),
    relationships: relationshipModel(conn),
    markups: markupModel(conn),
    usage: usageRecordModel(conn),
    usageMonths: usageMonthModel(conn),
    usagePending: usagePendingModel(conn),
    runs: invoiceRunModel(conn),
    tasks: runTaskModel(conn),
    invoices: invoiceModel(conn),
    lines: lineItemModel(conn),
    invoiceFacts: invoiceFactModel(conn),
    markupSchedule: markupScheduleModel(conn),
    fxRates: fxRateModel(conn),
    taxRates: taxRateModel(conn),
    paymentTerms: paymentTermsModel(conn),
    payments: paymentModel(conn),
    creditNotes: creditNoteModel(conn),
    // Value-added services (issue 19): partner offers and one-off charges.
    partnerOffers: partnerOfferModel(conn),
    partnerOfferPrices: partnerOfferPriceModel(conn),
    customerCharges: customerChargeModel(conn),
    budgets: spendingBudgetModel(conn),
    budgetAlerts: budgetAlertModel(conn),
  };
  await initModels(models);
  // Rate cards, offers, prices and markups from memory, reloaded when their version moves.
  const caches = catalogCaches({ redis: rt.redis, prefix: rt.config.REDIS_PREFIX, db: conn.name }, models);
  const loadPriceBook = () => caches.priceBook.get();
  const queue = new Queue(INVOICING_QUEUE, { connection: rt.redis, prefix: bullPrefix(rt.config.REDIS_PREFIX), defaultJobOptions: { ...defaultJobOptions, attempts: settings.BILLING_JOB_ATTEMPTS } });
  rt.shutdown.add('invoicing-queue', () => queue.close());
  const usageMonths = new UsageMonths(models, aggregateLocks(rt.redis, rt.config.REDIS_PREFIX));
  const charges = new ChargeService(models, rt.clock, usageMonths);
  const partnerCharges = new PartnerChargeService(models, rt.clock);
  const customerCharges = new CustomerChargeService(models, rt.clock);
  const runs = new RunService(models, queue, rt.clock, settings.BILLING_RUN_SETTLE_MS);
  const invoiceLocks = new InvoiceLocks(rt.redis, rt.config.REDIS_PREFIX);
  const numbers = new DocumentNumbers(rt.redis, rt.config.REDIS_PREFIX);
  const invoicing = new InvoicingService(models, charges, loadPriceBook, queue, invoiceLocks, numbers, rt.clock, rt.logger, {
    vendorName: settings.BILLING_VENDOR_NAME,
    vendorCountry: settings.BILLING_VENDOR_COUNTRY,
    billDelayMs: rt.production ? 0 : settings.BILLING_TEST_BILL_DELAY_MS,
    lockMs: settings.BILLING_JOB_LOCK_MS,
  }, partnerCharges, usageMonths);
  const deps = { clock: rt.clock, logger: rt.logger, settings, models, invoiceLocks, numbers, loadPriceBook, queue, charges, runs, invoicing, partnerCharges, customerCharges, caches, usageMonths, ingest: undefined as unknown as (rows: UsageRecordFact[], writer?: UsageWriter, later?: SettleLater) => Promise<IngestResult>, usageBatches: undefined as unknown as UsageBatches };
  // Usage that arrived may cross a spending budget's threshold: the worker checks (budgets/).
  const ingestDeps: IngestDeps = { clock: rt.clock, logger: rt.logger, usage: models.usage, subFacts: models.subFacts, loadPriceBook, usageMonths, accepted: (customerIds) => requestBudgetCheck(deps, customerIds) };
  deps.ingest = (rows, writer, later) => ingestUsage(ingestDeps, rows, writer, later);
  // The bulk stream's two halves, so it can check one batch while it stores the one before.
  deps.usageBatches = { prepare: (rows, writer) => prepareUsage(ingestDeps, rows, writer), store: (prepared, later) => storeUsage(ingestDeps, prepared, later) };
  return deps;
}

export type BillingDeps = Awaited<ReturnType<typeof buildDeps>>;
