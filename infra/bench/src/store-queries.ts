import { REQUEST_ID_HEADER } from '@csp/kernel';
import type { Stack } from '@csp/testkit';
import { ratio, type BenchResult } from './measure';
import type { BenchWorld } from './world';

const PAGE = `query ($first: Int) {
  customers(first: $first) {
    edges { node { id companyName subscriptions(first: 5) { edges { node { id status offer { id name } unbilledCharges { amount currency } } } } } }
  }
}`;

/**
 * Store round trips per subgraph for a page of 10 and of 100 customers with their
 * subscriptions, offers and unbilled charges: batching keeps them flat as the page grows.
 */
export async function storeQueries(stack: Stack, world: BenchWorld): Promise<BenchResult> {
  const names = Object.keys(stack.services) as Array<keyof Stack['services']>;
  // Only each request's own commands count (relays and consumers run meanwhile): one run is exact.
  const count = async (first: number) => {
    const trackers = names.map((n) => ({ n, store: stack.services[n]!.rt.mongo }));
    const requestId = `bench-page-${first}-${Date.now()}`;
    const tracking = trackers.map((t) => ({ n: t.n, t: t.store.trackRequest(requestId) }));
    try {
      const r = await stack.gql(PAGE, { first }, world.partnerToken, { [REQUEST_ID_HEADER]: requestId });
      if (r.errors?.length) throw new Error(`page of ${first}: ${JSON.stringify(r.errors).slice(0, 300)}`);
      const got = r.data.customers.edges.length;
      if (got !== Math.min(first, world.customerIds.length)) throw new Error(`page of ${first} returned ${got} customers`);
      return Object.fromEntries(tracking.map(({ n, t }) => [n, t.commands().filter((c) => !c.endsWith(':mutation_audit')).length])) as Record<string, number>;
    } finally {
      tracking.forEach(({ t }) => t.stop());
    }
  };
  const small = await count(10);
  const large = await count(100);
  const ratios = names.map((n) => ratio(Math.max(large[n], 1), Math.max(small[n], 1)));
  const worst = Math.max(...ratios);
  return {
    name: 'store queries per request',
    sizes: `pages of 10 and 100 customers, each with its subscriptions, offers and unbilled charges`,
    ratioLabel: 'worst subgraph: round trips (page 100) / round trips (page 10)',
    ratio: worst,
    target: '<= 2',
    met: worst <= 2,
    details: names.map((n, i) => `${String(n).padEnd(15)} page 10: ${small[n]}  page 100: ${large[n]}  ratio ${ratios[i].toFixed(2)}`),
  };
}
