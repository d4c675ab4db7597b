import { promClient, registry } from '@csp/kernel';

function counter(name: string, help: string, labelNames: string[]) {
  return (registry.getSingleMetric(name) as promClient.Counter<string> | undefined) ?? new promClient.Counter({ name, help, labelNames, registers: [registry] });
}

/** Targets missed, counted by the replica that claimed the breach (so once per breach). */
export const slaBreaches = counter('support_sla_breaches_total', 'Support tickets past a response or resolution target, by target and severity', ['target', 'severity']);

export const ticketsOpened = counter('support_tickets_opened_total', 'Support tickets opened, by severity and handler kind', ['severity', 'handler']);

export const firstResponseSeconds =
  (registry.getSingleMetric('support_first_response_seconds') as promClient.Histogram<string> | undefined) ??
  new promClient.Histogram({
    name: 'support_first_response_seconds',
    help: 'Time from opening a ticket to the handling side\'s first reply (platform clock), by severity',
    labelNames: ['severity'],
    buckets: [300, 900, 1800, 3600, 4 * 3600, 8 * 3600, 24 * 3600, 72 * 3600],
    registers: [registry],
  });

let countOpen: (() => Promise<Record<string, number>>) | undefined;

/** Open (not closed) tickets by severity, counted in the store when scraped. */
export function registerOpenTicketsGauge(count: () => Promise<Record<string, number>>): void {
  countOpen = count;
  if (registry.getSingleMetric('support_open_tickets')) return;
  new promClient.Gauge({
    name: 'support_open_tickets',
    help: 'Support tickets not closed, by severity',
    labelNames: ['severity'],
    registers: [registry],
    async collect() {
      if (!countOpen) return;
      const counts = await countOpen().catch(() => undefined);
      if (!counts) return;
      for (const [severity, n] of Object.entries(counts)) this.set({ severity }, n);
    },
  });
}
