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
  // Let the events of building the world settle, so consumers' work does not count as the page's.
  await new Promise((r) => setTimeout(r, 5_000));
  const count = async (first: number) => {
    // Background work (outbox relays poll) adds a few commands; the least of several runs is the request's own.
    const best: Record<string, number> = {};
    for (let run = 0; run < 5; run++) {
      const before = Object.fromEntries(names.map((n) => [n, stack.services[n]!.rt.mongo.commandCount()]));
      const r = await stack.gql(PAGE, { first }, world.partnerToken);
      if (r.errors?.length) throw new Error(`page of ${first}: ${JSON.stringify(r.errors).slice(0, 300)}`);
      const got = r.data.customers.edges.length;
      if (got !== Math.min(first, world.customerIds.length)) throw new Error(`page of ${first} returned ${got} customers`);
      for (const n of names) best[n] = Math.min(best[n] ?? Infinity, stack.services[n]!.rt.mongo.commandCount() - before[n]);
    }
    return best;
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
