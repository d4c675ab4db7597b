import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
const REPO_ROOT = path.resolve(__dirname, '../..');

const K8S = path.join(REPO_ROOT, 'infra/k8s');
const docs = readdirSync(K8S)
  .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
  .flatMap((f) => parseAllDocuments(readFileSync(path.join(K8S, f), 'utf8')).map((d) => ({ file: f, doc: d.toJS() })));
const byKind = (kind: string) => new Map(docs.filter((d) => d.doc?.kind === kind).map((d) => [d.doc.metadata.name as string, d.doc]));

/** Every process that exists in the sources: each service's index.ts and worker.ts, and the gateway. */
function processes(): Array<{ name: string; entry: string }> {
  const out = [{ name: 'gateway', entry: 'gateway/dist/index.js' }];
  for (const svc of readdirSync(path.join(REPO_ROOT, 'services'))) {
    if (existsSync(path.join(REPO_ROOT, 'services', svc, 'src/index.ts'))) out.push({ name: svc, entry: `services/${svc}/dist/index.js` });
    if (existsSync(path.join(REPO_ROOT, 'services', svc, 'src/worker.ts'))) out.push({ name: `${svc}-worker`, entry: `services/${svc}/dist/worker.js` });
  }
  return out;
}

describe('infra/k8s matches the processes that exist', () => {
  const deployments = byKind('Deployment');
  const services = byKind('Service');
  const hpas = byKind('HorizontalPodAutoscaler');

  it.each(processes())('$name has a Deployment running its entry point, a Service and an HPA', ({ name, entry }) => {
    const d = deployments.get(name);
    expect(d).toBeDefined();
    const container = d.spec.template.spec.containers[0];
    expect(container.command).toEqual(['node', entry]);
    expect(container.readinessProbe.httpGet.path).toBe('/ready');
    expect(container.livenessProbe.httpGet.path).toBe('/health');
    expect(d.spec.template.metadata.annotations['prometheus.io/path']).toBe('/metrics');
    expect(services.get(name)?.spec.selector).toEqual(d.spec.selector.matchLabels);
    expect(hpas.get(name)?.spec.scaleTargetRef.name).toBe(name);
  });

  it('has no Deployment for a process that does not exist', () => {
    const names = new Set(processes().map((p) => p.name));
    expect([...deployments.keys()].filter((n) => !names.has(n))).toEqual([]);
  });

  it('ships the committed supergraph as the ConfigMap the gateway mounts', () => {
    const cm = byKind('ConfigMap').get('csp-supergraph');
    expect(cm.data['supergraph.graphql']).toBe(readFileSync(path.join(REPO_ROOT, 'gateway/supergraph.graphql'), 'utf8'));
    const gw = deployments.get('gateway').spec.template.spec;
    expect(gw.volumes[0].configMap.name).toBe('csp-supergraph');
  });

  it('lists every manifest in the kustomization', () => {
    const k = parseAllDocuments(readFileSync(path.join(K8S, 'kustomization.yaml'), 'utf8'))[0].toJS();
    expect([...k.resources].sort()).toEqual(readdirSync(K8S).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').sort());
  });
});

describe('infra/k8s: subgraphs trust only the gateway', () => {
  const deployments = byKind('Deployment');
  const policies = byKind('NetworkPolicy');
  const subgraphs = ['identity', 'catalog', 'subscription', 'access-control', 'billing'];

  it.each(processes())('$name gets INTERNAL_SECRET from the csp-internal Secret', ({ name }) => {
    const env = deployments.get(name).spec.template.spec.containers[0].env as Array<{ name: string; valueFrom?: { secretKeyRef?: { name: string } } }>;
    expect(env.find((e) => e.name === 'INTERNAL_SECRET')?.valueFrom?.secretKeyRef?.name).toBe('csp-internal');
    expect(byKind('Secret').has('csp-internal')).toBe(true);
  });

  it('NetworkPolicies: subgraphs take traffic from the gateway, access-control also from the services, workers from nobody', () => {
    const selects = (p: { spec: { podSelector: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ values: string[] }> } } }, app: string) =>
      p.spec.podSelector.matchLabels?.['app.kubernetes.io/part-of'] === 'csp-commerce-graph' || p.spec.podSelector.matchLabels?.['app.kubernetes.io/name'] === app || !!p.spec.podSelector.matchExpressions?.some((e) => e.values.includes(app));
    const sources = (app: string) =>
      [...policies.values()]
        .filter((p) => selects(p, app))
        .flatMap((p) => (p.spec.ingress ?? []).flatMap((i: { from?: Array<{ podSelector?: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ values: string[] }> } }> }) => i.from ?? [{ anyone: true }]))
        .flatMap((f: { podSelector?: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ values: string[] }> }; anyone?: boolean }) =>
          f.anyone ? ['*'] : f.podSelector ? [f.podSelector.matchLabels?.['app.kubernetes.io/name'] ?? f.podSelector.matchLabels?.['app.kubernetes.io/part-of'] ?? f.podSelector.matchExpressions!.flatMap((e) => e.values)].flat() : ['monitoring'],
        );
    expect(sources('gateway')).toContain('*');
    for (const s of ['catalog', 'subscription', 'billing']) expect([s, [...new Set(sources(s))].sort()]).toEqual([s, ['gateway', 'monitoring']]);
    expect([...new Set(sources('access-control'))].sort()).toEqual(['billing', 'billing-worker', 'gateway', 'monitoring', 'subscription', 'subscription-worker']);
    expect([...new Set(sources('subscription-worker'))]).toEqual(['monitoring']);
    expect(subgraphs.every((s) => !sources(s).includes('*'))).toBe(true);
  });
});
