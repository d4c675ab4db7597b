import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { registry, enableDefaultMetrics, graphqlDuration, httpDuration, jobDuration, storeDuration } from '@csp/kernel';

const ROOT = path.resolve(__dirname, '../..');

describe('monitoring config reads the metrics the processes export', () => {
  it('every metric the Grafana dashboard queries is one the kernel registers', async () => {
    enableDefaultMetrics('test');
    void [graphqlDuration, httpDuration, jobDuration, storeDuration];
    const exported = new Set((await registry.getMetricsAsJSON()).map((m) => m.name));
    exported.add('bullmq_queue_jobs'); // registered when a process enables queue metrics
    const dashboard = JSON.parse(readFileSync(path.join(ROOT, 'infra/monitoring/grafana-dashboard.json'), 'utf8'));
    const queried = new Set<string>();
    for (const p of dashboard.panels) {
      for (const t of p.targets) {
        // Metric names are the snake_case tokens that are not PromQL functions.
        for (const [token] of t.expr.matchAll(/\b[a-z]+(?:_[a-z0-9]+)+\b/g)) {
          if (token !== 'histogram_quantile') queried.add(token.replace(/_(bucket|count|sum)$/, ''));
        }
      }
    }
    expect(queried.size).toBeGreaterThanOrEqual(7);
    expect([...queried].filter((m) => !exported.has(m))).toEqual([]);
  });

  it('Prometheus scrapes every local process', () => {
    const prom = parse(readFileSync(path.join(ROOT, 'infra/monitoring/prometheus.yml'), 'utf8'));
    const targets = prom.scrape_configs[0].static_configs.map((c: { labels: { process: string } }) => c.labels.process);
    expect(targets.sort()).toEqual(['access-control', 'billing', 'billing-worker', 'catalog', 'gateway', 'identity', 'subscription', 'subscription-worker', 'support'].sort());
  });
});
