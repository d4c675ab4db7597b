import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * infra/monitoring/alerts.yml is valid (`promtool check rules`), every alert fires in its unit
 * test (`promtool test rules alerts.test.yml`), and every metric a rule reads is one a process
 * of this repository exports. `make test` installs promtool (lib.sh ensure_promtool).
 */
const ROOT = path.resolve(__dirname, '../..');
const DIR = path.join(ROOT, 'infra/monitoring');
const PROMTOOL = process.env.PROMTOOL ?? 'promtool';
const promtool = (...args: string[]) => spawnSync(PROMTOOL, args, { cwd: DIR, encoding: 'utf8' });

interface Rule {
  alert: string;
  expr: string;
}
const rules: Rule[] = parse(readFileSync(path.join(DIR, 'alerts.yml'), 'utf8')).groups.flatMap((g: { rules: Rule[] }) => g.rules);
const unitTests = parse(readFileSync(path.join(DIR, 'alerts.test.yml'), 'utf8')).tests as Array<{
  alert_rule_test: Array<{ alertname: string; exp_alerts: unknown[] }>;
}>;

// Exported by a service that lands from another branch; its name is fixed here and there.
const EXPORTED_ELSEWHERE: Record<string, string> = {
  support_sla_breaches_total: 'services/support/src/metrics.ts (issue 18, support)',
};

beforeAll(() => {
  if (promtool('--version').status !== 0) throw new Error(`${PROMTOOL} is not installed: run make test (it installs Debian's prometheus), or apt-get install prometheus`);
});

it('promtool check rules accepts alerts.yml', () => {
  const r = promtool('check', 'rules', 'alerts.yml');
  expect(r.stderr).toBe('');
  expect(r.stdout).toContain(`SUCCESS: ${rules.length} rules found`);
});

it('promtool test rules: every unit test passes', () => {
  const r = promtool('test', 'rules', 'alerts.test.yml');
  expect(`${r.stdout}${r.stderr}`).toContain('SUCCESS');
  expect(r.status).toBe(0);
});

it('every alert has a unit test in which it fires', () => {
  const fired = new Set(unitTests.flatMap((t) => t.alert_rule_test.filter((a) => a.exp_alerts.length > 0).map((a) => a.alertname)));
  expect(rules.map((r) => r.alert).filter((a) => !fired.has(a))).toEqual([]);
  expect(rules.length).toBeGreaterThanOrEqual(12);
  expect(fired).toContain('RedisEvictionPolicy');
});

it('rules read only metrics the processes export', () => {
  const sources = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) => {
      const p = path.join(dir, n);
      if (['node_modules', 'dist', 'test'].includes(n)) return [];
      return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [readFileSync(p, 'utf8')] : [];
    });
  const code = [...sources(path.join(ROOT, 'packages')), ...sources(path.join(ROOT, 'services'))].join('\n');
  const KEYWORDS = new Set(['histogram_quantile', 'label_replace', 'ticket_severity']);
  const metrics = new Set(
    rules.flatMap((r) => [...r.expr.matchAll(/\b([a-z]+(?:_[a-z0-9]+)+)\b(?=\s*[{[)])/g)].map((m) => m[1]).filter((m) => !KEYWORDS.has(m))),
  );
  expect(metrics.size).toBeGreaterThanOrEqual(8);
  const missing = [...metrics].filter((m) => !EXPORTED_ELSEWHERE[m] && !code.includes(`'${m.replace(/_(bucket|count|sum)$/, '')}'`));
  expect(missing).toEqual([]);
});
