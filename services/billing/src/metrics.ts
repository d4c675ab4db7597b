import { promClient, registry } from '@csp/kernel';

function counter(name: string, help: string, labelNames: string[]) {
  return (registry.getSingleMetric(name) as promClient.Counter<string> | undefined) ?? new promClient.Counter({ name, help, labelNames, registers: [registry] });
}

/** Usage rows by outcome: accepted, duplicate, rejected. */
export const usageRows = counter('billing_usage_rows_total', 'Usage rows ingested, by outcome', ['outcome']);

/** Invoices issued, by kind. */
export const invoicesIssued = counter('billing_invoices_issued_total', 'Invoices issued, by kind', ['kind']);
