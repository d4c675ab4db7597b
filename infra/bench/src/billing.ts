import { startBillingWorker } from '@csp/svc-billing/worker-app';
import { graphql, type Stack } from '@csp/testkit';
import { answered, fmt, ratio, stats, type BenchResult } from './measure';
import { startBillingBench, usageRows } from './billing-world';
import { ingestionBenchmark } from './usage-ingestion';

const RECORD = 'mutation ($records: [UsageRecordInput!]!) { recordUsage(records: $records) { accepted duplicates rejected { index reason } } }';
const BATCH = 10_000;

async function ingest(stack: Stack, token: string, rows: ReturnType<typeof usageRows>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    const r = await stack.gql(RECORD, { records: rows.slice(i, i + BATCH) }, token);
    if (r.errors?.length) throw new Error(`recordUsage: ${JSON.stringify(r.errors).slice(0, 300)}`);
    if (r.data.recordUsage.rejected.length) throw new Error(`recordUsage rejected ${JSON.stringify(r.data.recordUsage.rejected.slice(0, 3))}`);
  }
}

/**
 * Billing's benchmarks on one billing stack: usage ingestion against a raw insertMany, unbilled
 * freshness, and invoice runs of growing size against one raw streaming read of the same rows.
 */
export async function billingBenchmarks(sizes: number[]): Promise<BenchResult[]> {
  const { stack, subscriptionIds } = await startBillingBench(200);
  const results: BenchResult[] = [];
  try {
    const token = await stack.operatorToken();
    const db = stack.services.billing!.rt.mongo.connection.db!;

    // 1. Ingestion: rows/s streamed through POST /usage/records vs insertMany of the same documents
    // into a collection with usage_records' indexes (usage-ingestion.ts).
    results.push(await ingestionBenchmark(stack, token, subscriptionIds, db));
    let t: number;

    // 2. Unbilled freshness: recordUsage returns → unbilledCharges shows it.
    const now = new Date((await stack.gql('{ clock { now } }')).data.clock.now);
    const today = now.toISOString().slice(0, 10);
    const sub = subscriptionIds[0];
    // CloudSubscription.unbilledCharges as the gateway resolves it: an entity call to billing.
    const unbilled = async () => {
      const body = answered(
        await graphql(
          `${stack.services.billing!.url}/graphql`,
          'query ($r: [_Any!]!) { _entities(representations: $r) { ... on CloudSubscription { unbilledCharges { amount } } } }',
          { r: [{ __typename: 'CloudSubscription', id: sub }] },
          { token, internal: stack.env.INTERNAL_SECRET },
        ),
        'billing',
      );
      return (body.data._entities[0].unbilledCharges as { amount: string } | null)?.amount;
    };
    const fresh: number[] = [];
    for (let i = 0; i < 20; i++) {
      const before = await unbilled();
      await ingest(stack, token, [{ recordId: `fresh-${i}`, subscriptionId: sub, meterId: 'mtr_b1', quantity: '3.5', usageDate: today }]);
      const t0 = performance.now();
      while ((await unbilled()) === before) {
        if (performance.now() - t0 > 10_000) throw new Error('unbilled charges did not change within 10 s');
        await new Promise((r) => setTimeout(r, 5));
      }
      fresh.push(performance.now() - t0);
    }
    const f = stats(fresh, 1);
    results.push({
      name: 'unbilled freshness',
      sizes: '20 single-row recordUsage calls',
      ratioLabel: 'p99 seconds from recordUsage returning to unbilledCharges showing it',
      ratio: f.p99 / 1000,
      target: '<= 0.1 s',
      met: f.p99 <= 100,
      details: [`p50 ${fmt(f.p50)}  p99 ${fmt(f.p99)}`],
    });

    // 3. Invoice runs: time to COMPLETED vs one raw streaming read of the same rows.
    const worker = await startBillingWorker(
      {
        ...(stack.env as Record<string, string>),
        MONGO_DB: `${stack.env.DB_PREFIX}_billing`,
        JWKS_URL: `${stack.identity.url}/.well-known/jwks.json`,
        BILLING_RUN_SETTLE_MS: '0',
        PORT: '0',
      },
      true,
    );
    try {
      const lines: string[] = [];
      let worst = 0;
      let perRow: number[] = [];
      let lastBilled = '';
      // Months holding usage before the runs' own: the ingestion benchmark's (the freshness rows are of today's month, no run's).
      const usageMonths = ['2026-06'];
      for (const [k, size] of sizes.entries()) {
        const month = `2026-${String(7 + k).padStart(2, '0')}`;
        await ingest(stack, token, usageRows(size, month, subscriptionIds, `run${size}`));
        usageMonths.push(month);
        t = performance.now();
        // Exactly the rows this run bills: every month since the previous run's (earlier benchmarks' rows too),
        // one equality query per month, which the store answers itself (a range on month it would not).
        let count = 0;
        for (const m of usageMonths.filter((m) => m > lastBilled && m <= month)) {
          for await (const _doc of db.collection('usage_records').find({ month: m }).batchSize(5_000)) count++;
        }
        const rawMs = performance.now() - t;
        t = performance.now();
        const started = await stack.gql('mutation ($p: String!) { startInvoiceRun(period: $p) { run { id } } }', { p: month }, token);
        if (started.errors) throw new Error(JSON.stringify(started.errors));
        const id = started.data.startInvoiceRun.run.id;
        for (;;) {
          const r = await stack.gql('query ($id: ID!) { invoiceRun(id: $id) { status failedReason } }', { id }, token);
          if (r.data?.invoiceRun.status === 'COMPLETED') break;
          if (r.data?.invoiceRun.status === 'FAILED') throw new Error(`run failed: ${r.data.invoiceRun.failedReason}`);
          await new Promise((res) => setTimeout(res, 20));
        }
        const runMs = performance.now() - t;
        lastBilled = month;
        worst = Math.max(worst, runMs / rawMs);
        perRow.push(runMs / count);
        lines.push(`${String(size).padStart(8)} rows (${count} read raw): run ${fmt(runMs)}  raw read ${fmt(rawMs)}  ratio ${(runMs / rawMs).toFixed(2)}  ${((runMs / count) * 1000).toFixed(1)} µs/row`);
      }
      const linear = perRow.length > 1 ? perRow[perRow.length - 1] / perRow[0] : 1;
      lines.push(`linearity: µs/row at the largest size / at the smallest = ${linear.toFixed(2)} (1.00 is linear)`);
      results.push({
        name: 'invoice run',
        sizes: `${sizes.join(', ')} usage rows over ${subscriptionIds.length} subscriptions, one bill-to chain`,
        ratioLabel: 'worst run time / raw streaming read of the same rows',
        ratio: worst,
        target: '<= 2, and linear',
        met: worst <= 2 && linear <= 1.5,
        details: lines,
      });
      perRow = [];
    } finally {
      await worker.stop();
    }
  } finally {
    await stack.stop();
  }
  return results;
}
