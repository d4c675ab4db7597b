import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { EventMap } from '@csp/events';
import type { RunningSubgraph } from '@csp/kernel';
import { eventually, graphql, REPO_ROOT, startStack, type Stack } from '@csp/testkit';
import type { BillingDeps } from '../src/deps';
import { startBillingWorker, type RunningBillingWorker } from '../src/worker-app';

/** Shared set-up of billing's tests: identity + billing + gateway, events as publishers send them. */
export interface BillingStack extends Stack {
  billing: RunningSubgraph<BillingDeps>;
  /** Env for a billing worker (in-process or spawned) on this stack's stores. */
  workerEnv: NodeJS.ProcessEnv;
  startWorker(extra?: Record<string, string>): Promise<RunningBillingWorker>;
  /** Calls the billing subgraph directly, as the gateway does for entity fields. */
  subgraph<T = any>(query: string, variables?: Record<string, unknown>, token?: string, headers?: Record<string, string>): Promise<{ data?: T; errors?: any[] }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs?: number): Promise<T>;
}

export async function startBillingStack(tag: string, env: Record<string, string> = {}): Promise<BillingStack> {
  const stack = await startStack(tag, { services: ['billing'], env: { BILLING_RUN_SETTLE_MS: '0', ...env } });
  const billing = stack.services.billing as RunningSubgraph<BillingDeps>;
  const workerEnv = { ...stack.env, BILLING_RUN_SETTLE_MS: '0', ...env, MONGO_DB: `${stack.env.DB_PREFIX}_billing`, JWKS_URL: `${stack.identity.url}/.well-known/jwks.json` };
  const workers: RunningBillingWorker[] = [];
  const out: BillingStack = {
    ...stack,
    billing,
    workerEnv,
    async startWorker(extra = {}) {
      const w = await startBillingWorker({ ...workerEnv, ...extra }, true);
      workers.push(w);
      return w;
    },
    subgraph: (query, variables = {}, token, headers) => graphql(`${billing.url}/graphql`, query, variables, { token, headers, internal: stack.env.INTERNAL_SECRET }),
    waitFor,
    async stop() {
      await Promise.all(workers.map((w) => w.stop()));
      await stack.stop();
    },
  };
  return out;
}

/** The testkit's `eventually`, named first (these tests read better that way). */
export const waitFor = <T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> =>
  eventually(fn, timeoutMs, `waiting for ${what}`);

type Facts = EventMap['subscription.created'];

/** A small world: one market (DE, EUR), a direct provider, a distributor with a reseller, two customers. */
export const W = {
  market: 'DE',
  direct: 'ptn_direct1',
  distributor: 'ptn_distri1',
  reseller: 'ptn_resell1',
  other: 'ptn_other01',
  c1: 'cus_one0001', // sold by the direct provider
  c2: 'cus_two0002', // sold by the reseller through the distributor
  o365: 'off_o365',
  azure: 'off_azure',
  meter: 'mtr_compute',
  meter2: 'mtr_storage',
  meterElsewhere: 'mtr_us_only',
};

export async function seedWorld(s: BillingStack): Promise<void> {
  const p = (partnerId: string, name: string, tier: EventMap['partner.onboarded']['tier']) =>
    s.publish('partner.onboarded', { partnerId, name, tier, country: 'DE', market: 'DE', currency: 'EUR', adminAgentsGroupId: `grp_${partnerId}` });
  await p(W.direct, 'Direct One GmbH', 'DIRECT_PROVIDER');
  await p(W.distributor, 'Distri AG', 'INDIRECT_PROVIDER');
  await p(W.reseller, 'Reseller KG', 'INDIRECT_RESELLER');
  await p(W.other, 'Other Partner', 'DIRECT_PROVIDER');
  await s.publish('reseller.linked', { distributorId: W.distributor, resellerId: W.reseller });
  await s.publish('customer.created', { customerId: W.c1, companyName: 'Customer One', domain: 'one.example', country: 'DE', currency: 'EUR', partnerId: W.direct });
  await s.publish('customer.created', { customerId: W.c2, companyName: 'Customer Two', domain: 'two.example', country: 'DE', currency: 'EUR', partnerId: W.reseller, distributorId: W.distributor });
  await s.publish('offer.published', { offerId: W.o365, name: 'Office 365 E3', family: 'OFFICE_365', billingType: 'LICENSE', minQuantity: 1, maxQuantity: 1000, prices: [{ market: 'DE', currency: 'EUR', unitPrice: '10.00' }] });
  await s.publish('offer.published', { offerId: W.azure, name: 'Azure plan', family: 'AZURE', billingType: 'USAGE', minQuantity: 1, maxQuantity: 1, prices: [] });
  const meter = (rates: Array<[string, string]>) => ({ id: W.meter, name: 'Compute hours', category: 'Compute', unit: 'hour', rates: rates.map(([fromQuantity, price]) => ({ fromQuantity, price })) });
  const storage = { id: W.meter2, name: 'Storage GB', category: 'Storage', unit: 'GB', rates: [{ fromQuantity: '0', price: '0.02' }] };
  await s.publish('rateCard.published', { market: 'DE', currency: 'EUR', effectiveFrom: '2026-01-01', meters: [meter([['0', '0.10'], ['100', '0.08']]), storage] });
  // A new card from mid-October: dearer first tier, dearer second tier.
  await s.publish('rateCard.published', { market: 'DE', currency: 'EUR', effectiveFrom: '2026-10-16T00:00:00.000Z', meters: [meter([['0', '0.12'], ['100', '0.09']]), storage] });
  await s.publish('rateCard.published', {
    market: 'US',
    currency: 'USD',
    effectiveFrom: '2026-01-01',
    meters: [{ id: W.meterElsewhere, name: 'US only', category: 'x', unit: 'x', rates: [{ fromQuantity: '0', price: '1' }] }],
  });
  const m = s.billing.deps.models;
  await waitFor('directory', async () => (await m.partners.countDocuments()) === 4 && (await m.customers.countDocuments()) === 2 && (await m.rateCards.countDocuments()) === 3 && (await m.offerPrices.countDocuments()) === 1 && (await m.resellerLinks.countDocuments()) === 1);
}

/**
 * A markup agreed in the past, from `from` on: the API sets markups from today on only (never
 * backwards), so tests of closed months write the schedule as it would stand by then.
 */
export async function agreeMarkup(s: BillingStack, markupId: string, markupPercent: string, from: string): Promise<void> {
  await s.billing.deps.models.markupSchedule.updateOne(
    { _id: `${markupId}|${from}` },
    { $set: { markupId, markupPercent, effectiveFrom: from, setBy: markupId.split('|')[1], setAt: new Date(`${from}T00:00:00.000Z`) } },
    { upsert: true },
  );
}

let seq = 0;
/** Publishes one subscription fact (ids unique per call). */
export async function subFact(
  s: BillingStack,
  type: 'created' | 'activated' | 'quantityChanged' | 'suspended' | 'reactivated' | 'cancelled',
  f: Omit<Facts, 'market'> & { market?: string },
): Promise<void> {
  const payload = { market: W.market, ...f } as Facts;
  const extra = type === 'activated' ? { adminAgentsGroupId: 'grp_x' } : type === 'quantityChanged' ? { previousQuantity: 0 } : type === 'suspended' ? { reason: 'test' } : {};
  await s.publish(`subscription.${type}` as 'subscription.created', { ...payload, ...extra } as Facts, `evt-${type}-${f.subscriptionId}-${f.at}-${++seq}`);
}

export async function waitForFacts(s: BillingStack, count: number): Promise<void> {
  await waitFor(`${count} subscription facts`, async () => (await s.billing.deps.models.subFacts.countDocuments()) >= count);
}

/** Starts the run of `period` through the gateway and waits until it completes. */
export async function runMonth(s: BillingStack, period: string): Promise<{ id: string; invoicesCreated: number; status: string; progress: number }> {
  const op = await s.operatorToken();
  const started = await s.op('StartInvoiceRun', { period }, op);
  if (started.errors) throw new Error(JSON.stringify(started.errors));
  const id = started.data.startInvoiceRun.run.id;
  return waitFor(`run ${period}`, async () => {
    const r = await s.op('InvoiceRun', { id }, op);
    const run = r.data?.invoiceRun;
    if (run?.status === 'FAILED') throw new Error(`run failed: ${run.failedReason}`);
    return run?.status === 'COMPLETED' ? run : undefined;
  }, 30_000);
}

export const unbilledQuery = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on CloudSubscription { id unbilledCharges { amount currency } } } }`;

export async function unbilled(s: BillingStack, token: string, ...ids: string[]): Promise<Array<{ amount: string; currency: string } | null>> {
  return unbilledWith(s, token, {}, ...ids);
}

/** As unbilled, with extra request headers (e.g. the request id whose store commands a test counts). */
export async function unbilledWith(s: BillingStack, token: string, headers: Record<string, string>, ...ids: string[]): Promise<Array<{ amount: string; currency: string } | null>> {
  const r = await s.subgraph(unbilledQuery, { reps: ids.map((id) => ({ __typename: 'CloudSubscription', id })) }, token, headers);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data._entities.map((e: { unbilledCharges: { amount: string; currency: string } | null }) => e.unbilledCharges);
}


export interface WorkerProcess {
  proc: ChildProcess;
  base: string;
  exited: Promise<number | null>;
}

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Starts services/billing/dist/worker.js as `make up` does (build first: npx tsc -b services/billing). */
export async function spawnWorker(s: BillingStack, extra: Record<string, string> = {}): Promise<WorkerProcess> {
  const port = await freePort();
  const proc = spawn(process.execPath, [path.join(REPO_ROOT, 'services/billing/dist/worker.js')], {
    env: { ...process.env, ...s.workerEnv, PORT: String(port), ...extra },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  await waitFor('worker /ready', () => fetch(`${base}/ready`).then((r) => r.ok, () => false), 30_000);
  return { proc, base, exited };
}
