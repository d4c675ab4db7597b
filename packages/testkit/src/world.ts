import { randomBytes } from 'node:crypto';
import { buildWorld as buildFixtureWorld, type BuiltWorld, type Estate, type WorldPartner } from '@csp/fixtures';
import { startBillingWorker } from '@csp/svc-billing/worker-app';
import { startSubscriptionWorker } from '@csp/svc-subscription/worker-app';
import { OPERATOR, type Stack } from './stack';

/**
 * The fixture world (@csp/fixtures, world-data.ts) built in-process for tests: the stack's
 * gateway is the graph, the provisioning and invoicing workers run in this process, and the
 * world adds what only tests need. Security tests aim other parties' tokens at its objects.
 */
export type { Estate, WorldCustomer, WorldPartner, WorldUser } from '@csp/fixtures';

export interface World extends BuiltWorld {
  /** A completed job (provisioning), for the job operations. */
  job: { queue: string; id: string };
  /** Every identifying string of an estate (ids, names, emails, numbers): what must never leak. */
  secretsOf(estate: Estate): string[];
  stop(): Promise<void>;
}

/** Env the stack should start with so the world builds in a few seconds. */
export const WORLD_STACK_ENV: Record<string, string> = { PROVISIONING_BACKOFF_MS: '50', BILLING_RUN_SETTLE_MS: '0' };

/** Builds the world; `stack` must run every subgraph (start it with WORLD_STACK_ENV). */
export async function buildWorld(stack: Stack): Promise<World> {
  const base = { ...(stack.env as Record<string, string>), JWKS_URL: `${stack.identity.url}/.well-known/jwks.json` };
  const subWorker = await startSubscriptionWorker(
    { ...base, MONGO_DB: `${stack.env.DB_PREFIX}_subscription`, USAGE_TRIGGER_POLL_MS: '500', WORKER_STALLED_INTERVAL_MS: '5000', WORKER_LOCK_MS: '5000' },
    true,
  );
  const billWorker = await startBillingWorker({ ...base, MONGO_DB: `${stack.env.DB_PREFIX}_billing`, BILLING_RUN_SETTLE_MS: '0' }, true);
  const stop = async () => {
    await Promise.allSettled([subWorker.stop(), billWorker.stop()]);
  };
  try {
    const built = await buildFixtureWorld(stack, { operator: OPERATOR, tag: randomBytes(3).toString('hex'), timeoutMs: 30_000 });
    return { ...built, job: await completedJob(stack, built.operator.token), secretsOf, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function completedJob(stack: Stack, op: string): Promise<World['job']> {
  const queues = (await stack.op('Queues', {}, op)).data?.queues as Array<{ name: string; counts: { completed: number } }>;
  const q = queues.find((x) => /provision/i.test(x.name) && x.counts.completed > 0) ?? queues.find((x) => x.counts.completed > 0);
  if (!q) throw new Error(`world: no queue with a completed job: ${JSON.stringify(queues)}`);
  const jobs = (await stack.op('Jobs', { queue: q.name, state: 'COMPLETED', first: 1 }, op)).data?.jobs as Array<{ id: string }>;
  return { queue: q.name, id: jobs[0].id };
}

const partnerSecrets = (p: WorldPartner) => [p.id, p.name, p.email, p.userId, p.groupId, p.groupName];

function secretsOf(e: Estate): string[] {
  return [
    ...new Set([
      ...partnerSecrets(e.partner),
      ...partnerSecrets(e.billingPartner),
      e.customer.id,
      e.customer.companyName,
      e.customer.domain,
      e.customer.email,
      e.customer.userId,
      e.azureSubscriptionId,
      e.licenseSubscriptionId,
      ...e.friendlyNames,
      e.serviceName,
      e.assignmentId,
      e.gdapActiveId,
      e.gdapPendingId,
      ...e.invoices.flatMap((i) => [i.id, i.number]),
      e.ticketId,
      e.upstreamTicketId,
    ]),
  ];
}
