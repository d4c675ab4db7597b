import { promClient, registry } from '@csp/kernel';
import type { BillingDeps } from './deps';
import { periodEnd, periodOf, previousPeriod } from './money/dates';
import type { InvoiceRunDoc } from './runs/invoice-run.model';

function counter(name: string, help: string, labelNames: string[]) {
  return (registry.getSingleMetric(name) as promClient.Counter<string> | undefined) ?? new promClient.Counter({ name, help, labelNames, registers: [registry] });
}

/** Usage rows by outcome: accepted, duplicate, rejected. */
export const usageRows = counter('billing_usage_rows_total', 'Usage rows ingested, by outcome', ['outcome']);

/** Invoices issued, by kind. */
export const invoicesIssued = counter('billing_invoices_issued_total', 'Invoices issued, by kind', ['kind']);

/**
 * Invoice runs as alerts need them, read from the store at scrape time (the billing worker):
 * `billing_invoice_runs_failed` — recent runs (last 3 months) that failed and were not retried
 * to completion; `billing_invoice_run_overdue_seconds` — platform time since the last closed
 * month ended while its run is not complete (0 once it is).
 */
export function registerInvoiceRunGauges(deps: Pick<BillingDeps, 'models' | 'runs' | 'clock'>): void {
  if (registry.getSingleMetric('billing_invoice_runs_failed')) return;
  const recent = () => deps.models.runs.find().sort({ period: -1 }).limit(3).lean<InvoiceRunDoc[]>();
  new promClient.Gauge({
    name: 'billing_invoice_runs_failed',
    help: 'Invoice runs of the last three months that failed (a bill-to job used up its attempts)',
    registers: [registry],
    async collect() {
      const runs = await recent().catch(() => undefined);
      if (!runs) return;
      const states = await Promise.all(runs.map((r) => deps.runs.progress(r)));
      this.set(states.filter((s) => s.status === 'FAILED').length);
    },
  });
  new promClient.Gauge({
    name: 'billing_invoice_run_overdue_seconds',
    help: 'Platform seconds since the last closed month ended while its invoice run is not complete',
    registers: [registry],
    async collect() {
      const now = deps.clock.now();
      const closed = previousPeriod(periodOf(now));
      const run = await deps.models.runs.findOne({ period: closed }).lean<InvoiceRunDoc>().catch(() => null);
      const done = run ? (await deps.runs.progress(run)).status === 'COMPLETED' : false;
      this.set(done ? 0 : Math.max(0, (now.getTime() - periodEnd(closed).getTime()) / 1000));
    },
  });
}
