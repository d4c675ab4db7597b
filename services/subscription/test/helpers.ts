import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { RunningSubgraph } from '@csp/kernel';
import type { Stack } from '@csp/testkit';
import type { SubscriptionDeps } from '../src/deps';
import { startSubscriptionWorker, type RunningWorker } from '../src/worker-app';
import { eventually } from '@csp/testkit';

export { eventually };

export const subDeps = (stack: Stack) => (stack.services.subscription as RunningSubgraph<SubscriptionDeps>).deps;

/** Env of this stack's subscription database, for a worker (in-process or spawned). */
export const workerEnv = (stack: Stack, extra: Record<string, string> = {}): Record<string, string> => ({
  ...(stack.env as Record<string, string>),
  MONGO_DB: `${stack.env.DB_PREFIX}_subscription`,
  JWKS_URL: `${stack.identity.url}/.well-known/jwks.json`,
  WORKER_STALLED_INTERVAL_MS: '1000',
  WORKER_LOCK_MS: '2000',
  USAGE_TRIGGER_POLL_MS: '500',
  ...extra,
});

export const startWorker = (stack: Stack, extra: Record<string, string> = {}): Promise<RunningWorker> =>
  startSubscriptionWorker(workerEnv(stack, extra), true);

/**
 * The provisioning worker as its own process (dist/worker.js, built before jest), as `make up`
 * starts it; `children` collects it so the file's afterAll can kill what is left.
 */
export function spawnWorkerProcess(stack: Stack, children: ChildProcess[], extra: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, [path.resolve(__dirname, '../dist/worker.js')], { env: { ...workerEnv(stack, extra), LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.on('data', (d) => process.env.TEST_LOG_LEVEL && process.stderr.write(d));
  children.push(child);
  return child;
}

/** Resolves once the process has exited (at once if it already has). */
export const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

export const IDS = {
  direct: 'ptn_direct1',
  directGroup: 'grp_direct1admins',
  other: 'ptn_other1',
  otherGroup: 'grp_other1admins',
  distributor: 'ptn_dist1',
  distributorGroup: 'grp_dist1admins',
  reseller: 'ptn_resel1',
  resellerGroup: 'grp_resel1admins',
  customer: 'cus_direct1',
  resellerCustomer: 'cus_resel1',
  otherCustomer: 'cus_other1',
  license: 'off_o365_e3',
  azure: 'off_azure_plan',
  euOnly: 'off_eu_only',
  future: 'off_future',
  meter: 'mtr_vm_d2s',
};

/** The identity and catalog facts ordering needs, published as their services would. */
export async function seedFacts(stack: Stack): Promise<void> {
  const past = '2020-01-01T00:00:00.000Z';
  const partner = (partnerId: string, tier: 'DIRECT_PROVIDER' | 'INDIRECT_PROVIDER' | 'INDIRECT_RESELLER', adminAgentsGroupId: string) =>
    stack.publish('partner.onboarded', { partnerId, name: partnerId, tier, country: 'US', market: 'US', currency: 'USD', adminAgentsGroupId });
  await stack.publish('market.upserted', { code: 'US', name: 'United States', currency: 'USD', countries: ['US'] });
  await stack.publish('market.upserted', { code: 'EU', name: 'Europe', currency: 'EUR', countries: ['DE', 'FR'] });
  await partner(IDS.direct, 'DIRECT_PROVIDER', IDS.directGroup);
  await partner(IDS.other, 'DIRECT_PROVIDER', IDS.otherGroup);
  await partner(IDS.distributor, 'INDIRECT_PROVIDER', IDS.distributorGroup);
  await partner(IDS.reseller, 'INDIRECT_RESELLER', IDS.resellerGroup);
  await stack.publish('reseller.linked', { distributorId: IDS.distributor, resellerId: IDS.reseller });
  const customer = (customerId: string, partnerId: string, distributorId?: string) =>
    stack.publish('customer.created', {
      customerId,
      companyName: customerId,
      domain: `${customerId}.example`,
      country: 'US',
      currency: 'USD',
      partnerId,
      ...(distributorId ? { distributorId } : {}),
    });
  await customer(IDS.customer, IDS.direct);
  await customer(IDS.resellerCustomer, IDS.reseller, IDS.distributor);
  await customer(IDS.otherCustomer, IDS.other);
  const offer = (offerId: string, billingType: 'USAGE' | 'LICENSE', min: number, max: number) =>
    stack.publish('offer.published', {
      offerId,
      name: offerId,
      family: billingType === 'USAGE' ? 'AZURE' : 'OFFICE_365',
      billingType,
      minQuantity: min,
      maxQuantity: max,
      prices: billingType === 'LICENSE' ? [{ market: 'US', currency: 'USD', unitPrice: '20.00' }] : [],
    });
  await offer(IDS.license, 'LICENSE', 1, 300);
  await offer(IDS.azure, 'USAGE', 1, 1);
  await offer(IDS.euOnly, 'LICENSE', 1, 10);
  await offer(IDS.future, 'LICENSE', 1, 10);
  await stack.publish('offer.availabilityChanged', { offerId: IDS.license, availability: [{ market: 'US', availableFrom: past }, { market: 'EU', availableFrom: past }] });
  await stack.publish('offer.availabilityChanged', { offerId: IDS.azure, availability: [{ market: 'US', availableFrom: past }] });
  await stack.publish('offer.availabilityChanged', { offerId: IDS.euOnly, availability: [{ market: 'EU', availableFrom: past }] });
  await stack.publish('offer.availabilityChanged', { offerId: IDS.future, availability: [{ market: 'US', availableFrom: '2999-01-01T00:00:00.000Z' }] });
  await stack.publish('rateCard.published', {
    market: 'US',
    currency: 'USD',
    effectiveFrom: past,
    meters: [{ id: IDS.meter, name: 'D2s v5 VM', category: 'Compute', unit: '1 Hour', rates: [{ fromQuantity: '0', price: '0.096' }] }],
  });
  const rm = subDeps(stack).rm;
  await eventually(async () => {
    const [p, c, o, a, m] = await Promise.all([
      rm.partners.countDocuments({ tier: { $exists: true } }),
      rm.customers.countDocuments({ country: { $exists: true } }),
      rm.offers.countDocuments({ billingType: { $exists: true } }),
      rm.availability.countDocuments(),
      rm.meters.countDocuments(),
    ]);
    const linked = await rm.resellerLinks.exists({ resellerId: IDS.reseller, distributorId: IDS.distributor });
    return p === 4 && c === 3 && o === 4 && a === 4 && m === 1 && !!linked;
  });
}

export const partnerToken = (stack: Stack, partnerId: string, groupId: string, userId = `usr_${partnerId.slice(4)}`) =>
  stack.mint({ userId, kind: 'PARTNER_USER', partnerId, groupIds: [groupId] });

export const customerToken = (stack: Stack, customerId: string, userId: string) => stack.mint({ userId, kind: 'CUSTOMER_USER', customerId });

export const order = (customerId: string, idempotencyKey: string, lineItems: Array<{ offerId: string; quantity: number; friendlyName?: string }>) => ({
  input: { customerId, idempotencyKey, lineItems },
});

export const SUB_QUERY = `query S($id: ID!) {
  subscription(id: $id) {
    id status quantity friendlyName
    customer { id } partner { id } reseller { id } offer { id }
    provisioning { state attempts failedReason }
    history { at status actor reason }
    services { name meterId status scope }
  }
}`;
