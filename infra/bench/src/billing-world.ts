import { startStack, type Stack } from '@csp/testkit';

export const BW = { partner: 'ptn_benchdirect', customer: 'cus_benchcustomer', azure: 'off_bench_azure', market: 'DE' };
export const METERS = ['mtr_b1', 'mtr_b2', 'mtr_b3', 'mtr_b4', 'mtr_b5'];

/** Billing alone (plus identity and the gateway), its read models fed as the publishers would. */
export async function startBillingBench(subscriptions: number): Promise<{ stack: Stack; subscriptionIds: string[] }> {
  const stack = await startStack('bench-billing', {
    services: ['billing'],
    env: { RATE_LIMIT_PER_MINUTE: '100000000', BILLING_RUN_SETTLE_MS: '0' },
  });
  await stack.publish('partner.onboarded', {
    partnerId: BW.partner,
    name: 'Bench Direct',
    tier: 'DIRECT_PROVIDER',
    country: 'DE',
    market: 'DE',
    currency: 'EUR',
    adminAgentsGroupId: 'grp_benchdirect',
  });
  await stack.publish('customer.created', { customerId: BW.customer, companyName: 'Bench Customer', domain: 'bench.example', country: 'DE', currency: 'EUR', partnerId: BW.partner });
  await stack.publish('offer.published', { offerId: BW.azure, name: 'Azure plan', family: 'AZURE', billingType: 'USAGE', minQuantity: 1, maxQuantity: 1, prices: [] });
  await stack.publish('rateCard.published', {
    market: 'DE',
    currency: 'EUR',
    effectiveFrom: '2026-01-01',
    meters: METERS.map((id, i) => ({
      id,
      name: id,
      category: 'Compute',
      unit: 'hour',
      rates: [
        { fromQuantity: '0', price: `0.0${i + 1}2` },
        { fromQuantity: '1000', price: `0.0${i + 1}` },
      ],
    })),
  });
  const subscriptionIds = Array.from({ length: subscriptions }, (_, i) => `sub_bench${String(i).padStart(4, '0')}`);
  for (const subscriptionId of subscriptionIds) {
    const facts = { subscriptionId, customerId: BW.customer, partnerId: BW.partner, offerId: BW.azure, billingType: 'USAGE' as const, quantity: 1, market: 'DE', at: '2026-01-01T00:00:00.000Z' };
    await stack.publish('subscription.created', facts);
    await stack.publish('subscription.activated', { ...facts, adminAgentsGroupId: 'grp_benchdirect' });
  }
  // Wait until billing knows every subscription (its read model fills from the events).
  const db = stack.services.billing!.rt.mongo.connection.db!;
  for (let i = 0; i < 600; i++) {
    const facts = await db.collection('subscription_facts').countDocuments({ type: 'activated' });
    const cards = await db.collection('rate_cards').countDocuments();
    if (facts >= subscriptions && cards >= 1) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { stack, subscriptionIds };
}

/** `n` usage rows spread over the subscriptions, meters and days of `month` (YYYY-MM). */
export function usageRows(n: number, month: string, subscriptionIds: string[], tag: string) {
  return Array.from({ length: n }, (_, i) => ({
    recordId: `${tag}-${i}`,
    subscriptionId: subscriptionIds[i % subscriptionIds.length],
    meterId: METERS[i % METERS.length],
    quantity: `${(i % 17) + 1}.${String(i % 1000).padStart(3, '0')}`,
    usageDate: `${month}-${String((i % 28) + 1).padStart(2, '0')}`,
  }));
}
