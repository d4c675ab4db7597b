import type { Stack } from '@csp/testkit';
import type { AccessControlDeps } from '../src/deps';

/** Polls until `fn` returns a truthy value (events arrive through a queue). */
export async function eventually<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const accessDeps = (stack: Stack) => stack.services['access-control']!.deps as AccessControlDeps;

export const subFacts = (subscriptionId: string, customerId: string, partnerId: string, extra: { resellerId?: string } = {}) => ({
  subscriptionId,
  customerId,
  partnerId,
  ...extra,
  offerId: 'off_azure',
  billingType: 'USAGE' as const,
  quantity: 1,
  market: 'EU',
  at: new Date().toISOString(),
});

export const subScope = (c: string, s: string) => `/customers/${c}/subscriptions/${s}`;
