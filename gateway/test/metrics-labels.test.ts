import { MAX_OPERATION_LABELS } from '@csp/kernel';
import { startStack, type Stack } from '@csp/testkit';

/** Dashboards by route and operation see /graphql, and a flood of names cannot blow up the series. */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack('metric-labels', { services: ['identity'] });
});
afterAll(() => stack?.stop());

const metrics = async () => (await fetch(`${stack.gateway!.url}/metrics`)).text();
const labelValues = (text: string, metric: string, label: string) =>
  new Set([...text.matchAll(new RegExp(`^${metric}\\{[^}]*\\b${label}="([^"]*)"`, 'gm'))].map((m) => m[1]));

it('GraphQL requests are recorded under route /graphql with their operation name', async () => {
  await stack.gql('query LabelProbe { clock { now } }');
  const text = await metrics();
  // In this one-process stack the gateway and the subgraph it asked share a registry: both count
  // the client's operation (the subgraph not under the gateway's fetch name), so 2 requests.
  expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*method="POST",route="\/graphql",operation="LabelProbe",status="200"\} 2$/m);
  expect(text).not.toContain('LabelProbe__');
  expect(text).not.toMatch(/http_request_duration_seconds_count\{[^}]*method="POST",route="other"/);
  // /metrics itself is its own route, not "other".
  expect(await metrics()).toMatch(/http_request_duration_seconds_count\{[^}]*method="GET",route="\/metrics"/);
});

it('operation names beyond the bound fold into one label, "other"', async () => {
  for (let i = 0; i < MAX_OPERATION_LABELS + 30; i++) await stack.gql(`query Flood${i} { clock { now } }`);
  const text = await metrics();
  const ops = labelValues(text, 'graphql_operation_duration_seconds_count', 'operation');
  expect(ops.size).toBeLessThanOrEqual(MAX_OPERATION_LABELS + 3); // + anonymous, invalid, other
  expect(ops.has('other')).toBe(true);
  expect(labelValues(text, 'http_request_duration_seconds_count', 'operation').size).toBeLessThanOrEqual(MAX_OPERATION_LABELS + 4);
});
