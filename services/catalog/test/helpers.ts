import { Queue } from 'bullmq';
import { bullPrefix, eventQueueName, type Envelope } from '@csp/kernel';
import type { Stack } from '@csp/testkit';
import type { CatalogDeps } from '../src/deps';
import { eventually } from '@csp/testkit';

export const catalogDeps = (stack: Stack) => stack.services.catalog!.deps as CatalogDeps;

export { eventually };

/** Events waiting on (or done by) a consumer's queue, as that consumer would receive them. */
export async function queuedEvents(stack: Stack, consumer: string, type?: string): Promise<Envelope<any>[]> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const q = new Queue(eventQueueName(consumer), { connection: stack.identity.rt.redis, prefix: bullPrefix(stack.env.REDIS_PREFIX!) });
  try {
    const jobs = await q.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized']);
    return jobs.filter((j) => j && (!type || j.name === type)).map((j) => j.data as Envelope);
  } finally {
    await q.close();
  }
}

export const partnerCaller = { userId: 'usr_partner', kind: 'PARTNER_USER' as const, partnerId: 'ptr_1' };
export const customerCaller = { userId: 'usr_customer', kind: 'CUSTOMER_USER' as const, customerId: 'cus_1' };
