import { Job, Queue, QueueEvents, Worker } from 'bullmq';
import { bullPrefix } from '@csp/kernel';
import { PROVISIONING_QUEUE, provisionJobId } from '@csp/svc-subscription/provisioning-queue';
import { startSubscriptionWorker } from '@csp/svc-subscription/worker-app';
import type { Stack } from '@csp/testkit';
import { fmt, ratio, stats, type BenchResult } from './measure';
import type { BenchWorld } from './world';

/**
 * Provisioning: order → ACTIVE with the simulated cloud at zero latency, against a fair floor:
 * one BullMQ job round trip on the same Redis whose handler makes, raw and one after another,
 * as many store writes as an order makes on its way to ACTIVE (counted during the real run).
 * Both as the client sees them: from sending the order (adding the job) until it has finished.
 */
export async function provisioning(stack: Stack, world: BenchWorld, n = 40): Promise<BenchResult> {
  const prefix = bullPrefix(stack.env.REDIS_PREFIX!);
  const connection = stack.identity.rt.workerRedis();

  // The real thing: a provisioning worker, orders placed one at a time through the gateway.
  const sub = stack.services.subscription!;
  const pw = await startSubscriptionWorker(
    {
      ...(stack.env as Record<string, string>),
      MONGO_DB: `${stack.env.DB_PREFIX}_subscription`,
      JWKS_URL: `${stack.identity.url}/.well-known/jwks.json`,
      SIM_CLOUD_LATENCY_MS: '0',
      USAGE_TRIGGER_POLL_MS: '60000',
    },
    true,
  );
  const subs = (sub.deps as any).models.subscriptions; // eslint-disable-line @typescript-eslint/no-explicit-any
  const provEvents = new QueueEvents(PROVISIONING_QUEUE, { connection: stack.identity.rt.workerRedis(), prefix });
  const provQueue = new Queue(PROVISIONING_QUEUE, { connection, prefix });
  await provEvents.waitUntilReady();
  const latencies: number[] = [];
  // Store writes of every service and the worker while the measured orders run.
  const writers = { ...Object.fromEntries(Object.entries(stack.services).map(([k, v]) => [k, v!.rt.mongo])), 'subscription-worker': pw.rt.mongo };
  const writes: Record<string, number> = {};
  let counting = false;
  const listeners = Object.entries(writers).map(([name, m]) => {
    const on = (e: { commandName: string }) => {
      if (counting && WRITE_COMMANDS.has(e.commandName)) writes[name] = (writes[name] ?? 0) + 1;
    };
    m.connection.getClient().on('commandStarted', on);
    return () => m.connection.getClient().off('commandStarted', on);
  });
  try {
    // Let the world's earlier orders provision first.
    while ((await subs.countDocuments({ status: 'PROVISIONING' })) > 0) await new Promise((r) => setTimeout(r, 100));
    for (let i = 0; i < n + 5; i++) {
      const customerId = world.customerIds[i % world.customerIds.length];
      counting = i >= 5;
      const t = performance.now();
      const r = await stack.gql(
        'mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { order { lineItems { subscription { id } } } } }',
        { input: { customerId, idempotencyKey: `prov-bench-${i}`, lineItems: [{ offerId: 'off_o365_e3', quantity: 1 }] } },
        world.partnerToken,
      );
      if (r.errors?.length) throw new Error(`order ${i}: ${JSON.stringify(r.errors)}`);
      const id = r.data.placeOrder.order.lineItems[0].subscription.id;
      const job = await Job.fromId(provQueue, provisionJobId(id));
      if (job && !(await job.isCompleted())) await job.waitUntilFinished(provEvents);
      if ((await subs.findById(id, { status: 1 }).lean())?.status !== 'ACTIVE') throw new Error(`order ${i} did not end ACTIVE`);
      if (i >= 5) latencies.push(performance.now() - t);
      counting = false;
    }
  } finally {
    listeners.forEach((off) => off());
    await provEvents.close();
    await provQueue.close();
    await pw.stop();
  }
  // The floor makes the writes of the order's own path (subscription service and its worker); other
  // services' writes (access-control's grant, billing's facts, audit) are event consumers running beside it.
  const perOrder = Math.max(1, Math.round(((writes.subscription ?? 0) + (writes['subscription-worker'] ?? 0)) / n));

  // Floor: a job doing those writes raw, added and finished one at a time.
  const scratch = sub.rt.mongo.connection.collection('bench_floor_writes');
  const noop = new Queue('bench-noop', { connection, prefix });
  const events = new QueueEvents('bench-noop', { connection: stack.identity.rt.workerRedis(), prefix });
  const worker = new Worker(
    'bench-noop',
    async (job) => {
      for (let w = 0; w < perOrder; w++) {
        const _id = `${job.id}-${w >> 1}`;
        if (w % 2 === 0) await scratch.insertOne({ _id: _id as never, status: 'NEW', at: new Date(0) });
        else await scratch.updateOne({ _id: _id as never }, { $set: { status: 'DONE' } });
      }
      return 'ok';
    },
    { connection: stack.identity.rt.workerRedis(), prefix },
  );
  await events.waitUntilReady();
  const floor: number[] = [];
  for (let i = 0; i < n + 5; i++) {
    const t = performance.now();
    const job = await noop.add('noop', {}, { removeOnComplete: { age: 60 } });
    await job.waitUntilFinished(events);
    if (i >= 5) floor.push(performance.now() - t); // the first 5 warm up
  }
  await worker.close();
  await events.close();
  await noop.obliterate({ force: true });
  await noop.close();
  await scratch.drop().catch(() => undefined);

  const f = stats(floor, 1);
  const p = stats(latencies, 1);
  const r = ratio(p.p99, Math.max(f.p99, 1));
  return {
    name: 'provisioning',
    sizes: `${n} orders one at a time, simulated cloud at 0 ms; ${n} jobs of ${perOrder} raw store writes each`,
    ratioLabel: 'p99 order→ACTIVE / p99 job with the same number of raw store writes',
    ratio: r,
    target: '<= 2',
    met: r <= 2,
    details: [
      `order → ACTIVE: p50 ${fmt(p.p50)}  p99 ${fmt(p.p99)}`,
      `floor (job + ${perOrder} raw writes): p50 ${fmt(f.p50)}  p99 ${fmt(f.p99)}`,
      `store writes per order (floor counts subscription + its worker): ${Object.entries(writes).map(([k, v]) => `${k} ${(v / n).toFixed(1)}`).join(', ')}`,
    ],
  };
}

const WRITE_COMMANDS = new Set(['insert', 'update', 'delete', 'findAndModify']);
