import { Job, Queue, QueueEvents, Worker } from 'bullmq';
import { bullPrefix, eventQueueName } from '@csp/kernel';
import { PROVISIONING_QUEUE, provisionJobId } from '@csp/svc-subscription/provisioning-queue';
import { startSubscriptionWorker } from '@csp/svc-subscription/worker-app';
import type { Stack } from '@csp/testkit';
import { fmt, ratio, stats, type BenchResult } from './measure';
import type { BenchWorld } from './world';

/**
 * Provisioning: order → ACTIVE with the simulated cloud at zero latency, against a fair floor:
 * one BullMQ job round trip on the same Redis whose handler makes, raw and one after another,
 * as many store writes as an order's path makes (counted first, see `countWrites`). Both as the
 * client sees them: from sending the order (adding the job) until it has finished. The two are
 * measured in interleaved rounds, so both sides see the same machine load; `n` of each (200: the
 * p99 of 40 samples would be their maximum).
 */
export async function provisioning(stack: Stack, world: BenchWorld, n = 200, rounds = 10): Promise<BenchResult> {
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
  // Every service's event queue and the provisioning queue: settled means all of them idle.
  const eventQueues = ['identity', 'catalog', 'subscription', 'access-control', 'billing', 'support'].map((c) => new Queue(eventQueueName(c), { connection, prefix }));
  await provEvents.waitUntilReady();

  // Store commands of every service and the worker: writes counted, commands in flight tracked.
  const writers = { ...Object.fromEntries(Object.entries(stack.services).map(([k, v]) => [k, v!.rt.mongo])), 'subscription-worker': pw.rt.mongo };
  const writes: Record<string, number> = {};
  const inFlight: Record<string, number> = {};
  let counting = false;
  // Access-control's writes when the worker sends the activation (its first subscription update
  // of the order): later ones answer `subscription.activated`, even if they start before the
  // client hears that the job finished.
  let accessAtActivation: number | undefined;
  const listeners = Object.entries(writers).map(([name, m]) => {
    const client = m.connection.getClient();
    const started = (e: { commandName: string; command?: Record<string, unknown> }) => {
      inFlight[name] = (inFlight[name] ?? 0) + 1;
      if (!counting || !WRITE_COMMANDS.has(e.commandName)) return;
      if (name === 'subscription-worker' && e.commandName === 'update' && e.command?.update === 'subscriptions') accessAtActivation ??= writes['access-control'] ?? 0;
      writes[name] = (writes[name] ?? 0) + 1;
    };
    const ended = () => void (inFlight[name] = (inFlight[name] ?? 1) - 1);
    client.on('commandStarted', started);
    client.on('commandSucceeded', ended);
    client.on('commandFailed', ended);
    return () => {
      client.off('commandStarted', started);
      client.off('commandSucceeded', ended);
      client.off('commandFailed', ended);
    };
  });

  let placed = 0;
  /** Places one order and waits until it is ACTIVE (its job finished). */
  const order = async () => {
    const i = placed++;
    const customerId = world.customerIds[i % world.customerIds.length];
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
  };
  /** Until no queue has a job waiting or running and no process has a store command out (twice in a row). */
  const settle = async () => {
    for (let quiet = 0; quiet < 2; ) {
      await new Promise((r) => setTimeout(r, 20));
      const counts = await Promise.all([...eventQueues, provQueue].map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized')));
      const busy = counts.some((c) => Object.values(c).some((v) => v > 0)) || Object.values(inFlight).some((v) => v > 0);
      quiet = busy ? 0 : quiet + 1;
    }
  };

  // Floor: a job doing as many writes raw, added and finished one at a time.
  const scratch = sub.rt.mongo.connection.collection('bench_floor_writes');
  const noop = new Queue('bench-noop', { connection, prefix });
  const noopEvents = new QueueEvents('bench-noop', { connection: stack.identity.rt.workerRedis(), prefix });
  let perOrder = 0;
  const noopWorker = new Worker(
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
  await noopEvents.waitUntilReady();
  const floorJob = async () => {
    const job = await noop.add('noop', {}, { removeOnComplete: { age: 60 } });
    await job.waitUntilFinished(noopEvents);
  };

  const latencies: number[] = [];
  const floor: number[] = [];
  const counted = 5;
  const onPath: Record<string, number> = {};
  let offPath = '';
  try {
    // Let the world's earlier orders provision first.
    while ((await subs.countDocuments({ status: 'PROVISIONING' })) > 0) await new Promise((r) => setTimeout(r, 100));
    // Counting: each order on a settled system, so what is counted is its own. The
    // subscription service and its worker: every write, until all is settled (the relays' too);
    // access-control: the writes made before the activation (the OWNER grant ACTIVE waits for). Billing's,
    // support's, identity's and access-control's later consumers are not on the path.
    for (let i = 0; i < 5; i++) await order(); // warm-up: first calls, the new worker's start-up passes
    const afterActive: Record<string, number> = {};
    for (let i = 0; i < counted; i++) {
      await settle();
      accessAtActivation = undefined;
      counting = true;
      await order();
      await settle();
      counting = false;
      const all = writes['access-control'] ?? 0;
      const before = accessAtActivation ?? all;
      onPath['access-control'] = (onPath['access-control'] ?? 0) + before;
      afterActive['access-control'] = (afterActive['access-control'] ?? 0) + all - before;
      writes['access-control'] = 0;
    }
    offPath = Object.entries({ ...writes, ...afterActive })
      .filter(([k]) => k !== 'subscription' && k !== 'subscription-worker')
      .map(([k, v]) => `${k}${k === 'access-control' ? ' after ACTIVE' : ''} ${(v / counted).toFixed(1)}`)
      .join(', ');
    for (const k of ['subscription', 'subscription-worker']) onPath[k] = writes[k] ?? 0;
    perOrder = Math.max(1, Math.round(Object.values(onPath).reduce((a, b) => a + b, 0) / counted));
    for (let w = 0; w < 5; w++) await floorJob(); // warm-up

    // Measured: interleaved rounds of orders and floor jobs.
    const per = Math.ceil(n / rounds);
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < per; i++) {
        const t = performance.now();
        await order();
        latencies.push(performance.now() - t);
      }
      for (let i = 0; i < per; i++) {
        const t = performance.now();
        await floorJob();
        floor.push(performance.now() - t);
      }
    }
  } finally {
    listeners.forEach((off) => off());
    await noopWorker.close();
    await noopEvents.close();
    await noop.obliterate({ force: true });
    await noop.close();
    await scratch.drop().catch(() => undefined);
    await Promise.all(eventQueues.map((q) => q.close()));
    await provEvents.close();
    await provQueue.close();
    await pw.stop();
  }

  const f = stats(floor, 1);
  const p = stats(latencies, 1);
  const r = ratio(p.p99, Math.max(f.p99, 1));
  const per = (k: string) => ((onPath[k] ?? 0) / counted).toFixed(1);
  return {
    name: 'provisioning',
    sizes: `${latencies.length} orders one at a time, simulated cloud at 0 ms; ${floor.length} jobs of ${perOrder} raw store writes each; in ${rounds} interleaved rounds`,
    ratioLabel: 'p99 order→ACTIVE / p99 job with the same number of raw store writes',
    ratio: r,
    target: '<= 2',
    met: r <= 2,
    details: [
      `order → ACTIVE: p50 ${fmt(p.p50)}  p99 ${fmt(p.p99)}`,
      `floor (job + ${perOrder} raw writes): p50 ${fmt(f.p50)}  p99 ${fmt(f.p99)}`,
      `store writes per order on its path (the floor's count, ${counted} orders on a settled system): subscription ${per('subscription')} + its worker ${per('subscription-worker')} + access-control before ACTIVE ${per('access-control')}`,
      `store writes per order off its path (event consumers beside it, not in the floor): ${offPath}`,
    ],
  };
}

const WRITE_COMMANDS = new Set(['insert', 'update', 'delete', 'findAndModify']);
