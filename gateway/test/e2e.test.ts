import Decimal from 'decimal.js';
import { Redis } from 'ioredis';
import { namespaceOf } from '@csp/kernel';
import { buildWorld, graphAt, type BuiltWorld } from '@csp/fixtures';
import { graphql, OPERATOR, startProcesses, type ProcessStack } from '@csp/testkit';

/**
 * The fixture world — `make up`'s demo data — built through the running gateway over HTTP,
 * against the processes `make up` starts (each its own OS process), not in-process shortcuts.
 */
let ps: ProcessStack;
let world: BuiltWorld;
const lines: string[] = [];

beforeAll(async () => {
  ps = await startProcesses('e2e', {
    env: {
      PROVISIONING_BACKOFF_MS: '100',
      USAGE_TRIGGER_POLL_MS: '500',
      WORKER_STALLED_INTERVAL_MS: '2000',
      BILLING_RUN_SETTLE_MS: '200',
      LOG_LEVEL: 'warn',
    },
  });
  // Each step waits up to 3 minutes: a busy machine (tracing every hop, other work beside) is slow, not wrong.
  world = await buildWorld(graphAt(ps.gatewayUrl), { operator: OPERATOR, tag: 'e2e', log: (l) => lines.push(l), timeoutMs: 180_000 });
}, 420_000);

afterAll(async () => {
  await ps?.stop();
});

const operatorToken = async () =>
  (await graphql(ps.gatewayUrl, 'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: OPERATOR.email, p: OPERATOR.password })).data.login
    .accessToken as string;

describe('the whole journey, end to end', () => {
  it('ran every step of the world', () => {
    expect(lines.join('\n')).toMatch(/subscriptions provisioned[^]*invoice run completed[^]*support: /);
    expect(world.tier2).toMatchObject({ withoutRelationship: 'FORBIDDEN', withRelationship: 'allowed' });
  });

  it('the month produced all three invoice kinds, each to the right bill-to', () => {
    const { A: direct, D: distributor, R: reseller, U: secondPartner } = world.partners;
    const { CB: fabrikam, CR: northwind } = world.customers;
    const pairs = world.invoices.map((i) => `${i.kind} ${i.billFrom}→${i.billTo}`);
    expect(pairs).toEqual(
      expect.arrayContaining([
        `VENDOR_TO_PARTNER vendor→${direct.id}`,
        `VENDOR_TO_PARTNER vendor→${distributor.id}`,
        `DISTRIBUTOR_TO_RESELLER ${distributor.id}→${reseller.id}`,
        `PARTNER_TO_CUSTOMER ${direct.id}→${fabrikam.id}`,
        `PARTNER_TO_CUSTOMER ${reseller.id}→${northwind.id}`,
      ]),
    );
    // Fabrikam's second partner never billed it: it only holds a relationship there.
    expect(pairs).not.toContain(`PARTNER_TO_CUSTOMER ${secondPartner.id}→${fabrikam.id}`);
    // Nothing issued twice.
    expect(new Set(pairs).size).toBe(pairs.length);
  });

  it('each reconciliation CSV sums exactly to its invoice', async () => {
    const token = await operatorToken();
    for (const inv of world.invoices) {
      const r = await graphql(ps.gatewayUrl, 'query ($id: ID!) { invoice(id: $id) { subtotal { amount } total { amount } reconciliationCsv } }', { id: inv.id }, { token });
      const { subtotal, total, reconciliationCsv } = r.data.invoice;
      const [header, ...rows] = (reconciliationCsv as string).trim().split('\n');
      const amountAt = header.split(',').indexOf('amount');
      expect(amountAt).toBeGreaterThanOrEqual(0);
      const sum = rows.reduce((acc, row) => acc.plus(row.split(',')[amountAt]), new Decimal(0));
      expect(sum.toFixed()).toBe(new Decimal(subtotal.amount).toFixed());
      expect(total.amount).toBe(subtotal.amount);
    }
  });

  it('job monitoring shows every job completed', async () => {
    const token = await operatorToken();
    const r = await graphql(ps.gatewayUrl, '{ queues { name counts { waiting active completed failed delayed } } }', {}, { token });
    const queues = r.data.queues as Array<{ name: string; counts: Record<string, number> }>;
    expect(queues.length).toBeGreaterThan(3);
    expect(queues.filter((q) => q.counts.failed > 0)).toEqual([]);
    expect(queues.reduce((n, q) => n + q.counts.completed, 0)).toBeGreaterThan(10);
  });
});

describe('support, end to end', () => {
  it("Northwind's CRITICAL ticket went reseller → distributor → vendor; each party lists only its side", async () => {
    const { customerTicket, distributorTicket, vendorTicket } = world.escalation;
    const chain = [customerTicket, distributorTicket, vendorTicket];
    // Of the chain (the other parties hold their estates' tickets besides).
    const ids = async (token: string) =>
      ((await graphql(ps.gatewayUrl, '{ tickets(first: 100) { edges { node { id } } } }', {}, { token })).data.tickets.edges as Array<{ node: { id: string } }>)
        .map((e) => e.node.id)
        .filter((id) => chain.includes(id))
        .sort();
    expect(await ids(world.customers.CR.token)).toEqual([customerTicket]);
    expect(await ids(world.partners.R.token)).toEqual([customerTicket, distributorTicket].sort());
    expect(await ids(world.partners.D.token)).toEqual([distributorTicket, vendorTicket].sort());
    expect(await ids(await operatorToken())).toEqual([vendorTicket]);
    expect(await ids(world.partners.A.token)).toEqual([]);
  });
});

describe('runtime', () => {
  it('every process the stack started runs on Node 24 LTS and says so on /health', async () => {
    const seen = await Promise.all(
      ps.instances().map(async (instance) => {
        const [name, replica] = instance.split('#');
        const health = await (await fetch(`${ps.baseUrl(name as Parameters<ProcessStack['baseUrl']>[0], Number(replica))}/health`)).json();
        return { instance, node: health.node };
      }),
    );
    expect(seen.length).toBeGreaterThanOrEqual(8);
    for (const s of seen) expect(s).toEqual({ instance: s.instance, node: expect.stringMatching(/^v24\./) });
  });

  it('every Redis key the whole world wrote is in a namespace named in the kernel (redis-keys.ts)', async () => {
    const redis = new Redis(ps.env.REDIS_URL!);
    try {
      const prefix = ps.env.REDIS_PREFIX!;
      const strays = new Set<string>();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = next;
        for (const k of keys) if (!namespaceOf(prefix, k)) strays.add(k.slice(prefix.length + 1).split(':').slice(0, 2).join(':'));
      } while (cursor !== '0');
      expect([...strays]).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });
});
