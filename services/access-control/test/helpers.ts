import type { Stack } from '@csp/testkit';
import type { AccessControlDeps } from '../src/deps';
import { eventually, PINNED_NOW } from '@csp/testkit';

export { eventually };

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
  at: PINNED_NOW, // the platform clock of every test file starts there
});

export const subScope = (c: string, s: string) => `/customers/${c}/subscriptions/${s}`;
